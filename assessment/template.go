package assessment

// Platform names the software whose transition a template guides.
type Platform string

// The platforms with templates.
const (
	PlatformCommCare Platform = "commcare"
	PlatformOpenCRVS Platform = "opencrvs"
)

// Origin says where a question or checkpoint comes from.
type Origin string

// The origins. A source checkpoint is worded exactly as in the template's
// source document; a derived one was written for this catalog, from a
// requirement the source states without a checkpoint or from the reference
// documentation it links to.
const (
	OriginSource  Origin = "source"
	OriginDerived Origin = "derived"
)

// Link is a titled web address.
type Link struct {
	Title string `json:"title" yaml:"title"`
	URL   string `json:"url" yaml:"url"`
}

// Guidance is a phase's help text with links to where it comes from.
type Guidance struct {
	Text  string `json:"text" yaml:"text"`
	Links []Link `json:"links,omitempty" yaml:"links"`
}

// Template is one version of a platform's transition checklist: ordered
// phases of questions, checkpoints and rules. A loaded template is shared and
// must not be modified.
type Template struct {
	ID          string   `json:"id" yaml:"id"`
	Platform    Platform `json:"platform" yaml:"platform"`
	Version     int      `json:"version" yaml:"version"`
	Title       string   `json:"title" yaml:"title"`
	Description string   `json:"description,omitempty" yaml:"description"`
	Source      Link     `json:"source" yaml:"source"`
	Phases      []*Phase `json:"phases" yaml:"phases"`

	file        string
	questions   []*Question // all questions in template order
	checkpoints []*Checkpoint
	qindex      map[string]int
	cindex      map[string]int
	pindex      map[string]int
}

// File returns the name of the file the template was loaded from.
func (t *Template) File() string { return t.file }

// Phase returns the phase with the given key.
func (t *Template) Phase(key string) (*Phase, bool) {
	i, ok := t.pindex[key]
	if !ok {
		return nil, false
	}
	return t.Phases[i], true
}

// Question returns the question with the given key; question keys are
// unique across a template.
func (t *Template) Question(key string) (*Question, bool) {
	i, ok := t.qindex[key]
	if !ok {
		return nil, false
	}
	return t.questions[i], true
}

// Questions returns every question of the template in order.
func (t *Template) Questions() []*Question { return t.questions }

// Checkpoint returns the checkpoint with the given key; checkpoint keys are
// unique across a template.
func (t *Template) Checkpoint(key string) (*Checkpoint, bool) {
	i, ok := t.cindex[key]
	if !ok {
		return nil, false
	}
	return t.checkpoints[i], true
}

// Checkpoints returns every checkpoint of the template in order.
func (t *Template) Checkpoints() []*Checkpoint { return t.checkpoints }

// SizingQuestions returns the questions whose answers feed the sizing
// engine, in template order.
func (t *Template) SizingQuestions() []*Question {
	var qs []*Question
	for _, q := range t.questions {
		if q.Sizing != "" {
			qs = append(qs, q)
		}
	}
	return qs
}

// SizingQuestion returns the question tagged with the given sizing input.
func (t *Template) SizingQuestion(in SizingInput) (*Question, bool) {
	for _, q := range t.questions {
		if q.Sizing == in {
			return q, true
		}
	}
	return nil, false
}

// ServerTable returns the table question where the servers to procure are
// specified (one row per server: role, cpus, ram_gb, disk_gb, ...).
func (t *Template) ServerTable() (*Question, bool) { return t.SizingQuestion(SizingServers) }

// Phase is one step of a transition. Phases are worked through in order; an
// optional phase may be waived and never holds later phases back.
type Phase struct {
	Key         string        `json:"key" yaml:"key"`
	Title       string        `json:"title" yaml:"title"`
	Intro       string        `json:"intro" yaml:"intro"`
	Optional    bool          `json:"optional" yaml:"optional"`
	Guidance    Guidance      `json:"guidance" yaml:"guidance"`
	Questions   []*Question   `json:"questions" yaml:"questions"`
	Checkpoints []*Checkpoint `json:"checkpoints" yaml:"checkpoints"`
	Rules       []*Rule       `json:"rules,omitempty" yaml:"rules"`

	index int
	first int // index of the phase's first question in Template.questions
}

// Checkpoint is a confirmation that gates progression. Checkpoints block
// unless the template marks them advisory.
type Checkpoint struct {
	Key      string `json:"key" yaml:"key"`
	Label    string `json:"label" yaml:"label"` // short name used in messages
	Text     string `json:"text" yaml:"text"`
	Link     string `json:"link,omitempty" yaml:"link"` // where the text says "here"
	Blocking bool   `json:"blocking" yaml:"-"`
	Advisory bool   `json:"-" yaml:"advisory"`
	Origin   Origin `json:"origin" yaml:"origin"`
	// Note explains a derived checkpoint for template authors: which
	// requirement it checks and how it was derived. Pages do not show it.
	Note string `json:"note,omitempty" yaml:"note"`
	// Source is the short provenance line pages show under a derived
	// checkpoint ("Source: ..."); when the template gives none, it is
	// "adapted from" the template's source document.
	Source string `json:"source,omitempty" yaml:"source"`

	phaseKey string
	// unconfirmed is the blocker reported while the checkpoint is not
	// confirmed, made once when the template is compiled.
	unconfirmed Issue
}

// PhaseKey returns the key of the phase the checkpoint belongs to.
func (c *Checkpoint) PhaseKey() string { return c.phaseKey }
