package review_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestImportPageInABrowser reaches the import page from the organisations
// page, uploads a pack whose approval was changed after the fact (refused,
// the message beside the file field, the organisation kept), then the
// genuine pack, which lands on the imported assessment. At 1280 and 390
// px: axe finds nothing and nothing overflows sideways. Screenshots:
// artifacts/screenshots/import-*.png.
func TestImportPageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	src := handlerstest.NewEnv(t)
	base, b := handlerstest.ReviewedAssessment(t, src)
	orig, _, files := handlerstest.Exported(t, b, base)
	dir := t.TempDir()
	good := filepath.Join(dir, "evidence.zip")
	bad := filepath.Join(dir, "evidence-changed.zip")
	tampered := strings.Replace(string(orig), `CHW app`, `CHW app (signed)`, 1) // inside the first snapshot
	if err := os.WriteFile(good, handlerstest.Pack(t, orig, files), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, handlerstest.Pack(t, []byte(tampered), files), 0o644); err != nil {
		t.Fatal(err)
	}

	dst := handlerstest.NewEnv(t)
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	handlerstest.SignInTab(t, tab, dst, "admin@example.org")
	browsertest.Do(t, tab,
		chromedp.Navigate(dst.Srv.URL+"/admin/organisations"),
		chromedp.Click(chromedp.CSS(`a[href="/admin/import"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-file")),
	)
	handlerstest.LookAt(t, tab, "import-form")

	// A file over 200 MB is refused before it is sent, beside the field.
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{handlerstest.SparseFile(t, "evidence.zip", 201<<20)}),
		chromedp.SetValue(chromedp.CSS("#f-organisation"), handlerstest.Itoa(dst.OrgA.ID)),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-file-error")),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[window.notReloaded, document.activeElement.id, document.querySelector("#f-file-error").textContent].join("|")`)); got != "true|f-file|Error: The file is larger than 200 MB, the most an import takes." {
		t.Errorf("a 201 MB file: (not reloaded|focus|message) = %q", got)
	}
	handlerstest.LookAt(t, tab, "import-too-large")

	org := handlerstest.Itoa(dst.OrgA.ID)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)") // the refused pack below
	browsertest.Do(t, tab,
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{bad}),
		chromedp.SetValue(chromedp.CSS("#f-organisation"), org),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-file-error")),
	)
	msg := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("#f-file-error").textContent`))
	if !strings.Contains(msg, "does not match its SHA-256 digest") || !strings.Contains(msg, "Nothing was imported.") {
		t.Errorf("the file's message = %q", msg)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("#f-organisation").value`)); got != org {
		t.Errorf("the organisation chosen = %q, want %s kept", got, org)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("#f-file").getAttribute("aria-describedby")`)); got != "f-file-hint f-file-error" {
		t.Errorf("the file field is described by %q", got)
	}
	handlerstest.LookAt(t, tab, "import-refused")

	browsertest.Do(t, tab,
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok[role="status"]`)),
	)
	loc := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`))
	if !strings.HasPrefix(loc, "/assessments/") {
		t.Errorf("after the import the page is %s, want the imported assessment", loc)
	}
	flash := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector(".notice.ok[role=status]").textContent`))
	if !strings.Contains(flash, "has been imported") {
		t.Errorf("flash = %q", flash)
	}
	browsertest.Screenshot(t, tab, fmt.Sprintf("import-done-%d", 1280))

	// The same pack again into the same organisation: the page says so,
	// links the earlier import and offers to import it again; ticked, a
	// second copy lands.
	browsertest.ExpectConsoleError(tab, "409 (Conflict)")
	browsertest.Do(t, tab,
		chromedp.Navigate(dst.Srv.URL+"/admin/import"),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}),
		chromedp.SetValue(chromedp.CSS("#f-organisation"), org),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-again")),
	)
	if href := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector(".notice a[href^='/assessments/']").getAttribute("href")`)); href != loc {
		t.Errorf("the earlier import is linked as %q, want %s", href, loc)
	}
	handlerstest.LookAt(t, tab, "import-again")
	browsertest.Do(t, tab,
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}),
		chromedp.Click(chromedp.CSS("#f-again")),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok[role="status"]`)),
	)
	if again := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`)); again == loc || !strings.HasPrefix(again, "/assessments/") {
		t.Errorf("imported again, the page is %s, want a second copy (the first is %s)", again, loc)
	}
}
