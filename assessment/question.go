package assessment

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// QuestionType names the kind of answer a question takes; it decides the
// input a form shows, how the answer is decoded and how it is validated.
type QuestionType string

// The question types. Scalar types (everything except multiple choice, person
// and table) can also be the type of a table column.
const (
	TypeShortText    QuestionType = "short_text"
	TypeLongText     QuestionType = "long_text"
	TypeURL          QuestionType = "url"
	TypeEmail        QuestionType = "email"
	TypeNumber       QuestionType = "number"
	TypeYesNo        QuestionType = "yes_no"
	TypeSingleChoice QuestionType = "single_choice"
	TypeMultiChoice  QuestionType = "multi_choice"
	TypeDate         QuestionType = "date"
	TypePerson       QuestionType = "person"
	TypeTable        QuestionType = "table"
)

// scalar reports whether answers of type t are a single string.
func (t QuestionType) scalar() bool {
	switch t {
	case TypeShortText, TypeLongText, TypeURL, TypeEmail, TypeNumber, TypeYesNo, TypeSingleChoice, TypeDate:
		return true
	}
	return false
}

// known reports whether t is one of the question types.
func (t QuestionType) known() bool {
	return t.scalar() || t == TypeMultiChoice || t == TypePerson || t == TypeTable
}

// defaultMaxLength is the length limit, in characters, applied when a
// template sets none.
func (t QuestionType) defaultMaxLength() int {
	switch t {
	case TypeLongText:
		return 20000
	case TypeURL:
		return 2048
	case TypeEmail:
		return 254
	}
	return 500
}

// MaxChars is the length limit, in characters, of a text answer (its own
// or its type's default): 0 for a number, a date or a choice.
func (q *Question) MaxChars() int {
	switch q.Type {
	case TypeShortText, TypeLongText, TypeURL, TypeEmail:
		if q.MaxLength > 0 {
			return q.MaxLength
		}
		return q.Type.defaultMaxLength()
	}
	return 0
}

// Format is an extra syntax check for short text answers.
type Format string

// The formats a short text question or column may require.
const (
	FormatDomain    Format = "domain"     // a fully qualified domain name such as hq.example.org
	FormatIP        Format = "ip"         // an IPv4 or IPv6 address
	FormatPublicIP  Format = "public_ip"  // an IP address routable on the internet
	FormatSentryDSN Format = "sentry_dsn" // https://KEY@HOST/PROJECT_ID
)

func (f Format) known() bool {
	switch f {
	case "", FormatDomain, FormatIP, FormatPublicIP, FormatSentryDSN:
		return true
	}
	return false
}

// SizingInput tags a question whose answer feeds the sizing engine, so that
// the workspace can show the recommendation beside it.
type SizingInput string

// The sizing inputs. The server table (SizingServers) is a table question
// with the columns role, cpus, ram_gb and disk_gb (and disk_type for
// CommCare); procurement warnings compare it with the recommendation.
const (
	SizingUsers                SizingInput = "users"                // number of mobile users at intended scale
	SizingUserGrowth           SizingInput = "user_growth"          // table: date, users
	SizingFormsExisting        SizingInput = "forms_existing"       // existing total form submissions
	SizingFormsPerUserMonth    SizingInput = "forms_per_user_month" // forms an average user submits per month
	SizingCasesNewPerUserMonth SizingInput = "cases_new_per_user_month"
	SizingCasesUpdPerUserMonth SizingInput = "cases_updated_per_user_month"
	SizingAttachmentKBPerForm  SizingInput = "attachment_kb_per_form"
	SizingHighAvailability     SizingInput = "high_availability" // yes/no
	SizingPopulation           SizingInput = "population"
	SizingBirthRate            SizingInput = "birth_rate" // crude, per 1000 people per year
	SizingDeathRate            SizingInput = "death_rate" // crude, per 1000 people per year
	SizingAttachmentsPerRecord SizingInput = "attachments_per_record"
	SizingProductionServers    SizingInput = "production_servers"
	SizingServers              SizingInput = "servers"          // the server specification table
	SizingProjectStage         SizingInput = "project_stage"    // OpenCRVS: poc, pilot or national
	SizingYearsOfRecords       SizingInput = "years_of_records" // OpenCRVS: years of records on disk
)

// sizingTypes lists, for every sizing input, the question type it must have.
var sizingTypes = map[SizingInput]QuestionType{
	SizingUsers:                TypeNumber,
	SizingUserGrowth:           TypeTable,
	SizingFormsExisting:        TypeNumber,
	SizingFormsPerUserMonth:    TypeNumber,
	SizingCasesNewPerUserMonth: TypeNumber,
	SizingCasesUpdPerUserMonth: TypeNumber,
	SizingAttachmentKBPerForm:  TypeNumber,
	SizingHighAvailability:     TypeYesNo,
	SizingPopulation:           TypeNumber,
	SizingBirthRate:            TypeNumber,
	SizingDeathRate:            TypeNumber,
	SizingAttachmentsPerRecord: TypeNumber,
	SizingProductionServers:    TypeNumber,
	SizingServers:              TypeTable,
	SizingProjectStage:         TypeSingleChoice,
	SizingYearsOfRecords:       TypeNumber,
}

// serverColumns are the columns the sizing engine reads from the server table.
var serverColumns = []string{"role", "cpus", "ram_gb", "disk_gb"}

// Choice is one option of a choice question or column. In a template file a
// choice may be written as a bare string, which is both value and label.
type Choice struct {
	Value string `json:"value" yaml:"value"`
	Label string `json:"label" yaml:"label"`
}

// UnmarshalYAML accepts a bare string or a mapping with value and label.
func (c *Choice) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		c.Value, c.Label = n.Value, n.Value
		return nil
	}
	if err := checkKeys(n, "value", "label"); err != nil {
		return err
	}
	type plain Choice
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*c = Choice(p)
	if c.Label == "" {
		c.Label = c.Value
	}
	return nil
}

// Constraints are the validation settings shared by questions and table
// columns. Which ones apply depends on the type: unit, min, max and integer
// on numbers; max_length and format on text; choices on choice types.
type Constraints struct {
	Unit      string   `json:"unit,omitempty" yaml:"unit"`
	Min       *float64 `json:"min,omitempty" yaml:"min"`
	Max       *float64 `json:"max,omitempty" yaml:"max"`
	Integer   bool     `json:"integer,omitempty" yaml:"integer"`
	MaxLength int      `json:"max_length,omitempty" yaml:"max_length"`
	Format    Format   `json:"format,omitempty" yaml:"format"`
	Choices   []Choice `json:"choices,omitempty" yaml:"choices"`
}

// hasChoice reports whether value is one of the constraint's choices.
func (c *Constraints) hasChoice(value string) bool {
	for i := range c.Choices {
		if c.Choices[i].Value == value {
			return true
		}
	}
	return false
}

// choiceIndex returns the position of value among the choices, or -1.
func (c *Constraints) choiceIndex(value string) int {
	for i := range c.Choices {
		if c.Choices[i].Value == value {
			return i
		}
	}
	return -1
}

// Column is one typed column of a repeating table question.
type Column struct {
	Key      string       `json:"key" yaml:"key"`
	Label    string       `json:"label" yaml:"label"`
	Type     QuestionType `json:"type" yaml:"type"`
	Required bool         `json:"required" yaml:"-"`
	Optional bool         `json:"-" yaml:"optional"`
	Help     string       `json:"help,omitempty" yaml:"help"`

	Constraints `yaml:",inline"`
}

// Question is one typed question of a phase. Questions are required unless
// the template marks them optional; a question hidden by its ShowIf
// conditions is never required.
type Question struct {
	Key   string       `json:"key" yaml:"key"`
	Label string       `json:"label" yaml:"label"` // short name used in messages
	Type  QuestionType `json:"type" yaml:"type"`
	// Prompt is the question as asked.
	Prompt string `json:"prompt" yaml:"prompt"`
	// Guide is the source's guiding question, verbatim, that this question
	// answers (several questions may share one).
	Guide    string `json:"guide,omitempty" yaml:"guide"`
	Origin   Origin `json:"origin" yaml:"origin"`
	Required bool   `json:"required" yaml:"-"`
	Optional bool   `json:"-" yaml:"optional"`
	Help     string `json:"help,omitempty" yaml:"help"`
	HelpURL  string `json:"help_url,omitempty" yaml:"help_url"`

	Constraints `yaml:",inline"`

	Columns       []*Column `json:"columns,omitempty" yaml:"columns"`
	MinRows       int       `json:"min_rows,omitempty" yaml:"min_rows"`
	MaxRows       int       `json:"max_rows,omitempty" yaml:"max_rows"`
	EmailRequired bool      `json:"email_required,omitempty" yaml:"email_required"`

	// ShowIf hides the question unless every condition holds.
	ShowIf Conditions `json:"show_if,omitempty" yaml:"show_if"`
	// Sizing marks an answer the sizing engine reads.
	Sizing SizingInput `json:"sizing,omitempty" yaml:"sizing"`

	phaseKey string
	index    int // position among all questions of the template
	// missing is the blocker reported while a required question is
	// unanswered, made once when the template is compiled.
	missing Issue
}

// PhaseKey returns the key of the phase the question belongs to.
func (q *Question) PhaseKey() string { return q.phaseKey }

// Column returns the table column with the given key.
func (q *Question) Column(key string) (*Column, bool) {
	i := q.columnIndex(key)
	if i < 0 {
		return nil, false
	}
	return q.Columns[i], true
}

func (q *Question) columnIndex(key string) int {
	for i, c := range q.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// FieldName returns the HTML form field name of a question's input: the key
// itself for scalars and multiple choice; see PersonFieldName and
// CellFieldName for the others.
func (q *Question) FieldName() string { return q.Key }

// PersonFieldName returns the form field name of one part of a person
// answer: part is "name", "job_function" or "email".
func (q *Question) PersonFieldName(part string) string { return q.Key + "." + part }

// CellFieldName returns the form field name of a table cell; row counts
// from 0.
func (q *Question) CellFieldName(row int, column string) string {
	return fmt.Sprintf("%s.%d.%s", q.Key, row, column)
}

// checkKeys rejects mapping keys outside allowed, so that a typo in a
// template file fails loudly even inside custom unmarshalers (which do not
// inherit the decoder's known-fields setting).
func checkKeys(n *yaml.Node, allowed ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("line %d: field %s not allowed here", n.Content[i].Line, k)
		}
	}
	return nil
}
