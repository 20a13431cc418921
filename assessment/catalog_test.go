package assessment

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedCatalog(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded() error: %v", err)
	}
	got := c.Summaries()
	want := []Summary{
		{ID: "commcare-transition", Platform: PlatformCommCare, Version: 1, Title: "CommCare HQ transition to self-hosting", PhaseCount: 14, Latest: true},
		{ID: "opencrvs-server-hosted", Platform: PlatformOpenCRVS, Version: 1, Title: "OpenCRVS server-hosted deployment", PhaseCount: 14, Latest: false},
		{ID: "opencrvs-server-hosted", Platform: PlatformOpenCRVS, Version: 2, Title: "OpenCRVS server-hosted deployment", PhaseCount: 15, Latest: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d summaries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("summary %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if again, _ := Embedded(); again != c {
		t.Errorf("Embedded() loaded the catalog twice")
	}
}

func TestCatalogLookup(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id      string
		version int
		found   bool
	}{
		{"opencrvs-server-hosted", 1, true},
		{"opencrvs-server-hosted", 2, true},
		{"opencrvs-server-hosted", 3, false},
		{"commcare-transition", 1, true},
		{"nope", 1, false},
	}
	for _, tt := range tests {
		tpl, ok := c.Template(tt.id, tt.version)
		if ok != tt.found || ok && (tpl.ID != tt.id || tpl.Version != tt.version) {
			t.Errorf("Template(%q, %d) = %v, %v; want found=%v", tt.id, tt.version, tpl, ok, tt.found)
		}
	}
	if tpl, ok := c.Latest("opencrvs-server-hosted"); !ok || tpl.Version != 2 {
		t.Errorf("Latest(opencrvs) = %v, %v; want version 2", tpl, ok)
	}
	if _, ok := c.Latest("nope"); ok {
		t.Errorf("Latest(nope) found a template")
	}
	tpl, _ := c.Template("commcare-transition", 1)
	if q, ok := tpl.Question("ups_minutes"); !ok || q.PhaseKey() != "2.2" {
		t.Errorf("Question(ups_minutes) = %v, %v; want it in 2.2", q, ok)
	}
	if cp, ok := tpl.Checkpoint("agreement_signed"); !ok || cp.PhaseKey() != "2.2" {
		t.Errorf("Checkpoint(agreement_signed) = %v, %v", cp, ok)
	}
	if p, ok := tpl.Phase("3.2"); !ok || !p.Optional {
		t.Errorf("Phase(3.2) = %v, %v; want optional", p, ok)
	}
	if _, ok := tpl.Question("nope"); ok {
		t.Errorf("Question(nope) found")
	}
}

// TestTemplateJSON checks the shape GET /api/v1/templates/{id} serves.
func TestTemplateJSON(t *testing.T) {
	b, err := json.Marshal(commcare(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ID       string `json:"id"`
		Platform string `json:"platform"`
		Version  int    `json:"version"`
		Source   struct{ Title, URL string }
		Phases   []struct {
			Key         string `json:"key"`
			Title       string `json:"title"`
			Optional    bool   `json:"optional"`
			Questions   []map[string]any
			Checkpoints []struct {
				Key      string `json:"key"`
				Text     string `json:"text"`
				Blocking *bool  `json:"blocking"`
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != "commcare-transition" || doc.Platform != "commcare" || doc.Version != 1 || doc.Source.URL == "" {
		t.Errorf("header: got %s %s %d %q", doc.ID, doc.Platform, doc.Version, doc.Source.URL)
	}
	if len(doc.Phases) != 14 || doc.Phases[7].Key != "3.2" || !doc.Phases[7].Optional {
		t.Fatalf("phases: got %d, phase 8 = %+v", len(doc.Phases), doc.Phases[7].Key)
	}
	var ups, cfg, servers map[string]any
	for _, p := range doc.Phases {
		for _, q := range p.Questions {
			switch q["key"] {
			case "ups_minutes":
				ups = q
			case "server_configuration":
				cfg = q
			case "servers":
				servers = q
			}
		}
		for _, c := range p.Checkpoints {
			if c.Blocking == nil || c.Text == "" {
				t.Errorf("checkpoint %s: blocking or text missing", c.Key)
			}
		}
	}
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"ups type", ups["type"], "number"},
		{"ups unit", ups["unit"], "minutes"},
		{"ups min", ups["min"], 0.0},
		{"ups required", ups["required"], true},
		{"ups prompt", ups["prompt"] != "", true},
		{"ups help present", ups["help"] == nil, true}, // no help on this one: omitted
		{"ups show_if question", ups["show_if"].([]any)[0].(map[string]any)["question"], "hosting_option"},
		{"choices", len(cfg["choices"].([]any)), 4},
		{"first choice", cfg["choices"].([]any)[0].(map[string]any)["value"], "single_server"},
		{"server columns", len(servers["columns"].([]any)), 5},
		{"server sizing tag", servers["sizing"], "servers"},
		{"no internal optional field", ups["optional"], nil},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMinimalTemplateLoads(t *testing.T) {
	tpl, err := ParseTemplate("minimal.yaml", []byte(readTestdata(t, "minimal.yaml")))
	if err != nil {
		t.Fatalf("ParseTemplate error: %v", err)
	}
	if tpl.File() != "minimal.yaml" || len(tpl.Phases) != 4 || len(tpl.Questions()) != 7 || len(tpl.Checkpoints()) != 5 {
		t.Errorf("got file %s, %d phases, %d questions, %d checkpoints", tpl.File(), len(tpl.Phases), len(tpl.Questions()), len(tpl.Checkpoints()))
	}
	cp, _ := tpl.Checkpoint("power_tested")
	if cp.Blocking {
		t.Errorf("advisory checkpoint is blocking")
	}
	q, _ := tpl.Question("notes")
	if q.Required || q.MaxLength != 20000 {
		t.Errorf("notes: required=%v max_length=%d, want optional with the long text default", q.Required, q.MaxLength)
	}
}

// TestTemplateErrors breaks the minimal template in one place at a time and
// checks that loading fails naming the file and the key at fault.
func TestTemplateErrors(t *testing.T) {
	base := readTestdata(t, "minimal.yaml")
	tests := []struct {
		name    string
		old     string
		new     string
		wantKey string
		wantMsg string
	}{
		{"unknown type", "type: yes_no", "type: yesno", "ha", `unknown type "yesno"`},
		{"duplicate question", "{key: extra,", "{key: users,", "users", "question key is used twice"},
		{"duplicate phase", `key: "2"`, `key: "1"`, "1", "phase key is used twice"},
		{"bad phase key", `key: "4"`, `key: "4 run"`, "#4", "phase key"},
		{"duplicate checkpoint", "{key: extra_done,", "{key: design_done,", "design_done", "checkpoint key is used twice"},
		{"condition on unknown question", "show_if: {question: ha,", "show_if: {question: hx,", "ha_reason", `unknown question "hx"`},
		{"condition on later question", "show_if: {question: ha,", "show_if: {question: ups,", "ha_reason", "does not come before"},
		{"condition value not an answer", `equals: "yes"}`, `equals: "maybe"}`, "ha_reason", `"maybe" is not yes or no`},
		{"condition with two operators", `equals: "yes"}`, `equals: "yes", not_equals: "no"}`, "ha_reason", "exactly one operator"},
		{"condition typo", `equals: "yes"}`, `equal: "yes"}`, "", "field equal not allowed"},
		{"rule on unknown question", "gt: {question: shutdown}", "gt: {question: shutdwn}", "ups-outlasts-shutdown", `unknown question "shutdwn"`},
		{"rule in the wrong phase", "    rules:\n      - key: ups-outlasts-shutdown\n        question: ups", "    rules:\n      - key: ups-outlasts-shutdown\n        question: users", "ups-outlasts-shutdown", "belongs to phase"},
		{"rule with two checks", "gte: 60", "gte: 60\n        lte: 90", "ups-generous", "exactly one check"},
		{"rule severity", "severity: warn", "severity: maybe", "ups-generous", "severity must be block or warn"},
		{"rule comparing a text", "gt: {question: shutdown}", "gt: {question: extra}", "ups-outlasts-shutdown", "cannot compare"},
		{"min above max", "integer: true, min: 1,", "integer: true, min: 10, max: 5,", "users", "min 10 is greater than max 5"},
		{"choice type without choices", "type: yes_no", "type: single_choice", "ha", "needs choices"},
		{"unit on text", `prompt: "Extra?"}`, `prompt: "Extra?", unit: kg}`, "extra", "only for numbers"},
		{"unknown field", `prompt: "Notes"`, `promt: "Notes"`, "", "field promt not found"},
		{"unknown origin", "origin: derived, prompt: \"High", "origin: invented, prompt: \"High", "ha", "origin must be"},
		{"derived checkpoint without note", `origin: derived, note: "Derived for tests.",`, "origin: derived,", "power_tested", "needs a note"},
		{"unknown platform", "platform: commcare", "platform: dhis2", "mini", `unknown platform "dhis2"`},
		{"bad source url", "url: https://example.org/guide", "url: example.org/guide", "mini", "source needs"},
		{"sizing tag on wrong type", "sizing: users}", "sizing: servers}", "users", "needs a table question"},
		{"unknown sizing tag", "sizing: users}", "sizing: people}", "users", `unknown sizing input "people"`},
		{"question without label", "label: notes,", "label: '',", "notes", "label and prompt are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("the minimal template does not contain %q", tt.old)
			}
			src := strings.Replace(base, tt.old, tt.new, 1)
			_, err := ParseTemplate("minimal.yaml", []byte(src))
			if err == nil {
				t.Fatalf("ParseTemplate succeeded, want an error about %q", tt.wantMsg)
			}
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is not a *TemplateError", err)
			}
			if te.File != "minimal.yaml" || te.Key != tt.wantKey {
				t.Errorf("got file %q key %q, want minimal.yaml and %q (%v)", te.File, te.Key, tt.wantKey, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "minimal.yaml") {
				t.Errorf("got error %q, want it to start with the file and contain %q", err, tt.wantMsg)
			}
		})
	}
}

// TestLoadCatalogErrors loads a directory holding a broken template and two
// copies of one version: every problem is reported with its file.
func TestLoadCatalogErrors(t *testing.T) {
	_, err := LoadCatalog(os.DirFS("testdata/broken"))
	if err == nil {
		t.Fatal("LoadCatalog succeeded on broken templates")
	}
	msg := err.Error()
	for _, want := range []string{
		`c.yaml: phase "1": "ha": unknown type "yesno"`,
		`b.yaml: "mini": version 1 is also defined in a.yaml`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if _, err := LoadCatalog(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "no template files") {
		t.Errorf("empty catalog: got %v", err)
	}
	c, err := LoadCatalog(fstest.MapFS{"minimal.yaml": {Data: []byte(readTestdata(t, "minimal.yaml"))}})
	if err != nil || len(c.Templates()) != 1 {
		t.Errorf("valid catalog: got %v, %v", c, err)
	}
}

// TestGuidanceLinks: every phase's guidance links to a source.
func TestGuidanceLinks(t *testing.T) {
	c, _ := Embedded()
	for _, tpl := range c.Templates() {
		for _, p := range tpl.Phases {
			if p.Guidance.Text == "" || len(p.Guidance.Links) == 0 {
				t.Errorf("%s v%d phase %s: guidance %q with %d links", tpl.ID, tpl.Version, p.Key, p.Guidance.Text, len(p.Guidance.Links))
			}
		}
	}
}

// Every help text that states a fact names where it comes from: the guide,
// the OpenCRVS page or the documentation behind them (CCD, OCD, OCC).
// Plain instructions for filling in the field are listed here instead.
func TestHelpTextsNameTheirSource(t *testing.T) {
	instructions := map[string]bool{
		"architecture_diagram_url": true, "integrations": true, "servers": true, "sms_gateway": true,
	}
	source := regexp.MustCompile(`CCD|OCD|OCC|guide|Appendix|OpenCRVS|commcare-cloud|Dimagi`)
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range c.Templates() {
		for _, p := range tpl.Phases {
			for _, q := range p.Questions {
				if q.Help != "" && !instructions[q.Key] && !source.MatchString(q.Help) {
					t.Errorf("%s v%d %s: help of %s names no source: %q", tpl.ID, tpl.Version, p.Key, q.Key, q.Help)
				}
			}
		}
	}
}
