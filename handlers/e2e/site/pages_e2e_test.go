package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"groundwork/assessment"
	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// TestEveryPageInABrowser visits every kind of page, signed out and signed
// in as each role, at 1280 and 390 px. On each: every header link is
// readable (contrast at least 4.5:1), axe finds nothing (its colour
// contrast rule included), the console stays free of errors (the tab
// fails the test on any), nothing overflows sideways, and a screenshot is
// kept in artifacts/screenshots/page-*.png.
func TestEveryPageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	ctx := t.Context()
	cc, err := e.St.CreateAssessment(ctx, e.Manager.ID, store.NewAssessment{Name: "Production move 2027", TemplateID: "commcare-transition", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	crvs, err := e.St.CreateAssessment(ctx, e.ManagerB.ID, store.NewAssessment{Name: "National rollout", TemplateID: "opencrvs-server-hosted", TemplateVersion: 2})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := cat.Template("commcare-transition", 1)
	q, _ := tpl.Question("architecture_diagram_url")
	if _, err := e.St.SavePhase(ctx, e.Manager.ID, cc.ID, tpl, q.PhaseKey(), store.PhaseChanges{Answers: []store.AnswerChange{{Key: q.Key, Value: assessment.Value{Text: "https://wiki.example.org/architecture"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"architecture_diagram_created", "mobile_app_inventory_documented"} { // a few per cent
		cp, _ := tpl.Checkpoint(key)
		if _, err := e.St.SavePhase(ctx, e.Manager.ID, cc.ID, tpl, cp.PhaseKey(), store.PhaseChanges{Confirmations: []store.ConfirmationChange{{Key: key, Confirmed: true}}}); err != nil {
			t.Fatal(err)
		}
	}
	// A file added and removed: the checkpoint's history shows both.
	ev, err := e.St.AddEvidence(ctx, e.Manager.ID, cc.ID, tpl, "architecture_diagram_created", "architecture.pdf", "application/pdf", []byte("%PDF-1.4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.St.DeleteEvidence(ctx, e.Manager.ID, cc.ID, tpl, ev.ID); err != nil {
		t.Fatal(err)
	}
	// Real names are longer than the test's handles.
	if err := e.St.SetUserName(ctx, e.Admin.ID, "Ada Lovelace, Administrator"); err != nil {
		t.Fatal(err)
	}
	a := fmt.Sprintf("/assessments/%d", cc.ID)
	b := fmt.Sprintf("/assessments/%d", crvs.ID)
	visits := []struct {
		who   string // e-mail of the signed-in user, or "" for signed out
		pages map[string]string
	}{
		{"", map[string]string{
			"home":              "/",
			"signin":            "/signin",
			"forgot":            "/password/forgot",
			"templates":         "/templates",
			"template-commcare": "/templates/commcare-transition",
			"template-opencrvs": "/templates/opencrvs-server-hosted",
			"sizing":            "/sizing",
			"calibration":       "/calibration",
		}},
		{"admin@example.org", map[string]string{
			"admin-home":          "/",
			"admin-users":         "/admin/users",
			"admin-user":          fmt.Sprintf("/admin/users/%d", e.Manager.ID),
			"admin-organisations": "/admin/organisations",
			"admin-organisation":  fmt.Sprintf("/admin/organisations/%d", e.OrgA.ID),
			"account":             "/account",
		}},
		{"manager@example.org", map[string]string{
			"assessments":        "/assessments",
			"overview-commcare":  a,
			"phase-1.1":          a + "/phases/1.1",
			"phase-1.2":          a + "/phases/1.2",
			"phase-2.3":          a + "/phases/2.3",
			"history-checkpoint": a + "/history/checkpoint/architecture_diagram_created",
			"organisation":       "/orgs/moh-a",
		}},
		{"manager@b.example.org", map[string]string{
			"overview-opencrvs": b,
			"phase-opencrvs":    b + "/phases/1.4",
		}},
	}
	for _, v := range visits {
		tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
		if v.who != "" {
			handlerstest.SignInTab(t, tab, e, v.who)
		}
		for name, path := range v.pages {
			for _, width := range []int{1280, 390} {
				browsertest.Do(t, tab,
					chromedp.EmulateViewport(int64(width), 900),
					chromedp.Navigate(e.Srv.URL+path),
					chromedp.WaitVisible(chromedp.CSS("main h1")),
				)
				where := fmt.Sprintf("%s at %d px", path, width)
				for _, bad := range browsertest.LinkContrast(t, tab, ".site-header a, .site-header button", 4.5) {
					t.Errorf("%s: header link %s, want at least 4.5:1", where, bad)
				}
				if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > width {
					t.Errorf("%s: the page is %d px wide", where, w)
				}
				// The CSP forbids inline styles: none may be in the markup
				// (the tab also fails the test on the console's CSP error).
				if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("[style], style").length`)); n > 0 {
					t.Errorf("%s: %d inline styles", where, n)
				}
				if width == 390 && name != "calibration" { // the load tool's bare page has no header
					checkNarrow(t, tab, where)
				}
				// Everyone's main navigation, an admin's too, is one line, also
				// beside a scroll bar (1,265 px of page; the test's browser
				// hides scroll bars).
				if width == 1280 {
					for _, w := range []int64{1280, 1265} {
						browsertest.Do(t, tab, chromedp.EmulateViewport(w, 900))
						tops := browsertest.Run(t, tab, chromedp.Evaluate[[]float64](`[...document.querySelectorAll(".site-header .nav li, .site-header .nav-user > *")].map(li => li.getBoundingClientRect().top + li.getBoundingClientRect().height / 2)`))
						if len(tops) > 0 && slices.Max(tops)-slices.Min(tops) > 2 {
							t.Errorf("%s: the header wraps at %d px (its entries' middles: %v)", where, w, tops)
						}
					}
					browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))
					// A name cut short still shows two words or so ("Amina
					// Odhiam…" at 8rem).
					if shown := browsertest.Run(t, tab, chromedp.Evaluate[float64](`(a => a && a.scrollWidth > a.clientWidth ? a.clientWidth : 999)(document.querySelector(".nav-account"))`)); shown < 150 {
						t.Errorf("%s: the header cuts the name at %.0f px", where, shown)
					}
				}
				if strings.HasPrefix(path, "/admin/") {
					got := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[document.querySelector(".site-header .nav a[aria-current=page]")?.textContent, document.querySelector("main nav.subnav a[aria-current]")?.getAttribute("href")]`))
					if want := strings.Join(strings.Split(path, "/")[:3], "/"); len(got) != 2 || got[0] != "Admin" || got[1] != want {
						t.Errorf("%s: current entries (main, administration) %q, want Admin and %s", where, got, want)
					}
				}
				if name == "overview-commcare" && width == 1280 {
					checkNeutralMeter(t, tab)
				}
				if strings.HasPrefix(name, "phase-") && width == 1280 {
					checkPhaseNavStaysInView(t, tab, where)
				}
				browsertest.CheckAccessibility(t, tab)
				browsertest.Screenshot(t, tab, fmt.Sprintf("page-%s-%d", name, width))
			}
		}
	}
}

// checkNarrow checks a page on a phone-sized screen: the header is one
// line with a Menu button that opens the links, and every table wider than
// the screen says it scrolls and can be scrolled from the keyboard.
func checkNarrow(t *testing.T, tab context.Context, where string) {
	t.Helper()
	// At 320 px too, the name and the Menu button share one line, with
	// the widest count of unread notifications on it.
	browsertest.Do(t, tab, chromedp.EmulateViewport(320, 900), chromedp.Evaluate[chromedp.Void](`(b => {
		const n = b.querySelector(".nav-count") || b.appendChild(Object.assign(document.createElement("span"), {className: "nav-count"}));
		n.textContent = "99+";
	})(document.querySelector(".nav-toggle"))`))
	if h := browsertest.Run(t, tab, chromedp.Evaluate[float64](`document.querySelector(".site-header").getBoundingClientRect().height`)); h > 72 {
		t.Errorf("%s: at 320 px the header is %.0f px tall, want one line (at most 72 px)", where, h)
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	if h := browsertest.Run(t, tab, chromedp.Evaluate[float64](`document.querySelector(".site-header").getBoundingClientRect().height`)); h > 72 {
		t.Errorf("%s: the header is %.0f px tall, want one line (at most 72 px)", where, h)
	}
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`[...document.querySelectorAll(".site-header nav a")].filter(a => a.getClientRects().length).length`)); n != 0 {
		t.Errorf("%s: %d navigation links shown before the menu is opened", where, n)
	}
	browsertest.Do(t, tab, chromedp.Click(chromedp.CSS(".nav-toggle")))
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`[...document.querySelectorAll(".site-header nav a")].filter(a => a.getClientRects().length).length`)); n == 0 {
		t.Errorf("%s: the Menu button shows no links", where)
	}
	if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("%s: with the menu open the page is %d px wide", where, w)
	}
	for _, bad := range browsertest.LinkContrast(t, tab, ".site-header a, .site-header button", 4.5) {
		t.Errorf("%s: open menu link %s, want at least 4.5:1", where, bad)
	}
	// Escape closes it, the focus back on the button; so does the focus
	// leaving it for the page.
	expanded := func() string {
		return browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector(".nav-toggle").getAttribute("aria-expanded") + " " + document.activeElement.className`))
	}
	// focusFirst focuses the first element sel matches that is shown, if any.
	focusFirst := func(sel string) bool {
		return browsertest.Run(t, tab, chromedp.Evaluate[bool](`(e => !!e && (e.focus(), true))([...document.querySelectorAll(`+handlerstest.JSString(sel)+`)].find(e => e.getClientRects().length))`))
	}
	focusFirst("#nav-panel a, #nav-panel button")
	browsertest.Do(t, tab, chromedp.KeyEvent(kb.Escape))
	if got := expanded(); got != "false nav-toggle" {
		t.Errorf("%s: after Escape in the menu: expanded, focus = %q, want closed, on the button", where, got)
	}
	browsertest.Do(t, tab, chromedp.Click(chromedp.CSS(".nav-toggle")))
	if !focusFirst("main a, main button, main input, main summary, footer a") {
		browsertest.Do(t, tab, chromedp.Click(chromedp.CSS(".nav-toggle")))
	} else if got := expanded(); !strings.HasPrefix(got, "false") {
		t.Errorf("%s: the menu stays open with the focus in the page (%q)", where, got)
	}
	silent := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".table-wrap")]
		.filter(w => w.scrollWidth > w.clientWidth + 1 && !(w.classList.contains("scrolls") && w.tabIndex === 0))
		.map(w => w.querySelector("th") ? w.querySelector("th").textContent.trim() : "a table")`))
	for _, s := range silent {
		t.Errorf("%s: the table starting %q scrolls sideways without saying so", where, s)
	}
}

// checkNeutralMeter looks at the filled part of the overview's readiness
// bar, at a low score: it must not be drawn in red, which reads as an error.
func checkNeutralMeter(t *testing.T, tab context.Context) {
	t.Helper()
	if v := browsertest.Run(t, tab, chromedp.Evaluate[float64](`document.querySelector("main meter").value`)); v <= 0 || v >= 50 {
		t.Fatalf("the readiness bar shows %v%%, want a low score above 0 to look at", v)
	}
	shot := browsertest.Run(t, tab, chromedp.Screenshot(chromedp.CSS("main meter")))
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	r, g, bl, _ := img.At(b.Min.X+b.Dx()/20+2, b.Min.Y+b.Dy()/2).RGBA()
	r, g, bl = r>>8, g>>8, bl>>8
	if r > g+60 && r > bl+60 || r > 200 && g > 150 && bl < 80 {
		t.Errorf("the readiness bar at a low score is drawn in rgb(%d, %d, %d), a warning colour; want a neutral one", r, g, bl)
	}
}

// TestTimesInTheViewersZone: every time on a page has one layout, "3 Dec
// 2026, 18:29 UTC" from the server, rewritten in the browser's time zone
// ("3 Dec 2026, 23:59 GMT+5:30"), the UTC text kept as its title; on the
// overview, a phase page's saved state, the history and the last sign-in
// alike.
func TestTimesInTheViewersZone(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	ctx := t.Context()
	a, err := e.St.CreateAssessment(ctx, e.Manager.ID, store.NewAssessment{Name: "Move", TemplateID: "commcare-transition", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := cat.Template("commcare-transition", 1)
	if _, err := e.St.SavePhase(ctx, e.Manager.ID, a.ID, tpl, "1.1", store.PhaseChanges{Answers: []store.AnswerChange{{Key: "growth_projections", Value: assessment.Value{Text: "Double it."}}}}); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.Do(t, tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Kolkata"})
		return err
	}))
	handlerstest.SignInTab(t, tab, e, "manager@example.org")
	layout := regexp.MustCompile(`^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2} GMT\+5:30$`)
	base := fmt.Sprintf("%s/assessments/%d", e.Srv.URL, a.ID)
	for _, page := range []string{base, base + "/phases/1.1", base + "/history/answer/growth_projections", e.Srv.URL + "/account"} {
		browsertest.Do(t, tab, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("main h1")))
		times := browsertest.Run(t, tab, chromedp.Evaluate[[][]string](`[...document.querySelectorAll("main time")].map(t => [t.textContent.trim(), t.title, t.getAttribute("datetime")])`))
		if len(times) == 0 {
			t.Errorf("%s: no <time> on the page", page)
		}
		for _, tm := range times {
			utc, err := time.Parse(time.RFC3339, tm[2])
			if err != nil {
				t.Errorf("%s: datetime %q: %v", page, tm[2], err)
				continue
			}
			want := utc.In(time.FixedZone("IST", 5*3600+1800)).Format("2 Jan 2006, 15:04") + " GMT+5:30"
			if !layout.MatchString(tm[0]) || tm[0] != want {
				t.Errorf("%s: time shows %q, want %q", page, tm[0], want)
			}
			if tm[1] != utc.UTC().Format("2 Jan 2006, 15:04 UTC") {
				t.Errorf("%s: title %q, want the UTC time in the same layout", page, tm[1])
			}
		}
	}
}

// checkPhaseNavStaysInView scrolls a phase page well down on a wide
// screen: the list of phases (this one marked) and the phase's progress
// are still on screen.
func checkPhaseNavStaysInView(t *testing.T, tab context.Context, where string) {
	t.Helper()
	browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.7)`))
	got := browsertest.Run(t, tab, chromedp.Evaluate[[]float64](`(() => {
		const inView = el => { if (!el) { return 0; } const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight ? 1 : 0; };
		return [scrollY, inView(document.querySelector(".phase-nav")), inView(document.getElementById("phase-progress")),
			document.querySelectorAll(".phase-nav li").length, document.querySelectorAll('.phase-nav a[aria-current="page"]').length];
	})()`))
	if got[0] < 100 {
		t.Errorf("%s: the page did not scroll (%v px)", where, got[0])
	}
	if got[1] != 1 || got[2] != 1 {
		t.Errorf("%s: scrolled down, phase list in view = %v, progress in view = %v; want both", where, got[1] == 1, got[2] == 1)
	}
	if got[3] < 2 || got[4] != 1 {
		t.Errorf("%s: the phase list has %v phases, %v marked current", where, got[3], got[4])
	}
	browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
}
