package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// panelText is the inline sizing panel of a page, as text.
func panelText(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `id="sizing-panel"`)
	if i < 0 {
		t.Fatalf("no sizing panel on the page")
	}
	j := strings.Index(body[i:], "</aside>")
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body[i:i+j], " ")
	return html.UnescapeString(strings.Join(strings.Fields(text), " "))
}

// The CommCare panel names its units in words, rounds sizes for people
// with the exact figure on demand, and says how the tier and the resource
// model relate and which one procurement is checked against.
func TestCommCareSizingPanelExplainsItself(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	for _, p := range []struct {
		key  string
		form url.Values
	}{{"1.1", handlerstest.Phase11()}, {"1.2", handlerstest.Phase12("2500")}} {
		handlerstest.AddVersions(t, b, base+"/phases/"+p.key, p.form)
		if resp, body := b.Post(base+"/phases/"+p.key, p.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %s = %d\n%.800s", p.key, resp.StatusCode, body)
		}
	}
	_, body := b.Get(base + "/phases/1.2")
	panel := panelText(t, body)
	for _, want := range []string{
		"Tier, by users (rule of thumb) Micro cluster: 2 servers",
		"Detailed estimate (resource model) For December 2027, twelve months from the growth timeline's first date (the model covers a year at least): 2,500 users, ",
		"operating system disks",
		"Procurement (phase 2.1) checks the servers entered against the tier",
		"The resource model is the detailed estimate from your usage",
	} {
		if !strings.Contains(panel, want) {
			t.Errorf("panel lacks %q:\n%s", want, panel)
		}
	}
	if strings.Contains(panel, "VM_os") {
		t.Errorf("panel names a storage group by its code (VM_os):\n%s", panel)
	}
	// Every storage figure has at most three significant digits on show,
	// and the exact figure in a title and in the details.
	storage := regexp.MustCompile(`Storage (.*?) How this`).FindStringSubmatch(panel)
	if storage == nil {
		t.Fatalf("no storage line:\n%s", panel)
	}
	for _, n := range regexp.MustCompile(`[\d,]+\.\d+|[\d,]{4,}`).FindAllString(storage[1], -1) {
		if digits := strings.Trim(strings.NewReplacer(",", "", ".", "").Replace(n), "0"); len(digits) > 4 {
			t.Errorf("storage figure %q is not rounded for people", n)
		}
	}
	if !strings.Contains(body, `title="Exactly `) {
		t.Errorf("no exact figure on demand in the panel")
	}
	// It follows the answers as they are typed, and says so only to whom
	// can type them.
	if !strings.Contains(panel, "Updates as you answer: from the expected users") {
		t.Errorf("the manager's panel does not say it follows the answers:\n%s", panel)
	}
	v := e.Browser(t)
	v.SignIn("viewer@example.org")
	_, read := v.Get(base + "/phases/1.2")
	if got := panelText(t, read); strings.Contains(got, "Updates as you answer") || !strings.Contains(got, "From the expected users, high availability and usage below.") {
		t.Errorf("a reader's panel says it updates as they answer:\n%s", got)
	}
	// Its link opens the calculator's tier on the same users.
	if !strings.Contains(body, `<a href="/sizing?calc=tier&amp;users=2%2C500#tier-h">Try other numbers in the sizing calculator</a>`) {
		t.Errorf("the panel's calculator link does not carry its users:\n%s", regexp.MustCompile(`<a href="/sizing[^>]*>`).FindString(body))
	}
}

// The calculator's OpenCRVS status and server table round disk sizes for
// people; the formula steps below keep every digit.
func TestCalculatorRoundsDiskForPeople(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, body := get(t, srv, "/sizing/opencrvs?"+crvsQuery, "HX-Request", "true")
	for _, want := range []string{"application servers need 1,014 GB of disk", "the backup server 2,028 GB", "2 × 1,013.7109501 GB = 2,027.4219002 GB"} {
		if !strings.Contains(body, want) {
			t.Errorf("the OpenCRVS calculator lacks %q", want)
		}
	}
	if strings.Contains(body, "need 1,013.7109501 GB") {
		t.Errorf("the status shows the unrounded disk")
	}
}
