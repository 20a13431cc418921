package web

import "strconv"

// TemplateCard is one template version in the catalog listing.
type TemplateCard struct {
	ID            string
	Title         string
	Description   string
	PlatformLabel string
	Version       int
	Latest        bool
	LatestVersion int    // the newest version of the same template
	Href          string // its page
	APIHref       string // its JSON document
	Phases        int
	Optional      int // optional phases among Phases
	Questions     int
	Checkpoints   int
}

// TemplateList is the catalog page: the latest version of every template,
// then the older versions.
type TemplateList struct {
	Latest []TemplateCard
	Older  []TemplateCard
}

// TemplateLink is a titled web address.
type TemplateLink struct {
	Title string
	URL   string
}

// TemplateVersion points to one version of a template.
type TemplateVersion struct {
	Version int
	Href    string
	Latest  bool
}

// TemplateView is a whole template version, phase by phase, for reading.
type TemplateView struct {
	TemplateCard
	LatestHref    string            // the latest version's page, when this one is older
	OtherVersions []TemplateVersion // every other version, oldest first
	Source        TemplateLink
	Required      int // required questions
	FromSource    int // checkpoints worded as in the source document
	Derived       int // checkpoints written for this catalog
	Blocking      int // checkpoints that block their phase
	PhaseList     []TemplatePhase
}

// TemplatePhase is one phase of a template.
type TemplatePhase struct {
	Key         string // "1.1"
	Anchor      string // its element id, "phase-1-1"
	Title       string
	Intro       string
	Optional    bool
	Guidance    string
	Links       []TemplateLink
	Questions   []TemplateQuestion
	Checkpoints []TemplateCheckpoint
	Checks      []TemplateCheck
}

// TemplateQuestion is one question, its type and constraints in words.
type TemplateQuestion struct {
	Anchor    string
	Prompt    string
	Guide     string // the source's guiding question, when worded differently
	TypeLabel string
	Required  bool
	Help      string
	HelpURL   string
	Facts     []string // "Unit: months", "At least 0"...
	Choices   []string
	Columns   []TemplateColumn
	ShownWhen string // "Asked only when ..." or ""
}

// TemplateColumn is one column of a table question.
type TemplateColumn struct {
	Label     string
	TypeLabel string
	Required  bool
	Help      string
	Facts     []string
	Choices   []string
}

// TemplateCheckpoint is one checkpoint of a phase.
type TemplateCheckpoint struct {
	Anchor   string
	Text     string
	Link     string // the document the text refers to, or ""
	Blocking bool
	Derived  bool   // written for this catalog, not found in the source
	Source   string // short provenance of a derived checkpoint
}

// TemplateCheck is one cross-answer rule of a phase, in words.
type TemplateCheck struct {
	Blocks  bool // false: a warning only
	Message string
}

func tplPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// tplOptionalNote is ", N optional" after a phase count, or nothing.
func tplOptionalNote(n int) string {
	if n == 0 {
		return ""
	}
	return ", " + strconv.Itoa(n) + " optional"
}

// tplCheckpointSummary counts a template's checkpoints by origin and weight.
func tplCheckpointSummary(t TemplateView) string {
	s := strconv.Itoa(t.Checkpoints)
	switch {
	case t.Derived == 0:
		s += ", all worded as in the source document"
	case t.FromSource == 0:
		s += ", all derived from the source's requirements"
	default:
		s += " (" + strconv.Itoa(t.FromSource) + " from the source document, " + strconv.Itoa(t.Derived) + " derived)"
	}
	switch t.Blocking {
	case t.Checkpoints:
		return s + "; every one blocks the next phase"
	case 0:
		return s + "; all advisory"
	}
	return s + "; " + strconv.Itoa(t.Blocking) + " block the next phase"
}

// tplQuestionSummary counts a template's questions and the required ones.
func tplQuestionSummary(t TemplateView) string {
	switch t.Required {
	case t.Questions:
		return strconv.Itoa(t.Questions) + ", all required"
	case 0:
		return strconv.Itoa(t.Questions) + ", all optional"
	}
	return strconv.Itoa(t.Questions) + " (" + strconv.Itoa(t.Required) + " required)"
}

// tplColumnMeta describes a table column after its label.
func tplColumnMeta(c TemplateColumn) string {
	s := "— " + c.TypeLabel
	if !c.Required {
		s += ", optional"
	}
	for _, f := range c.Facts {
		s += "; " + f
	}
	return s
}

func tplJoin(choices []string) string {
	s := ""
	for i, c := range choices {
		if i > 0 {
			s += ", "
		}
		s += c
	}
	return s
}
