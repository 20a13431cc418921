package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"groundwork/store"
	"groundwork/store/storetest"
)

// TestSIGKILLUnderWriteLoad kills the real server process with SIGKILL
// while answers are being saved: every save it acknowledged is in the
// database afterwards, and a new process serves the assessment again.
func TestSIGKILLUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh", Name: "Ministry", Platform: "commcare"})
	if err != nil {
		t.Fatal(err)
	}
	const pw = "ledger of quiet harbours"
	u, err := st.CreateUser(ctx, store.NewUser{Email: "pm@example.org", Name: "PM", Role: store.RoleManager, OrganisationID: org.ID, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.CreateAssessment(ctx, u.ID, store.NewAssessment{Name: "Move", TemplateID: "commcare-transition", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"DATABASE_URL=" + dsn, "SESSION_SECRET=" + strings.Repeat("k", 40), "DATA_DIR=" + reachableDir(t), "LOG_LEVEL=error"}
	p := startServer(t, env...)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(p.url+"/signin", url.Values{"email": {"pm@example.org"}, "password": {pw}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp.Body.Close()

	// Four writers, each on its own answer, until the process dies.
	keys := []string{"growth_projections", "architecture_diagram_url", "data_migration_plan", "months_live"}
	value := func(key string, n int) string {
		switch key {
		case "architecture_diagram_url":
			return fmt.Sprintf("https://example.org/d/%d", n)
		case "months_live":
			return strconv.Itoa(n)
		}
		return fmt.Sprintf("%s %d", key, n)
	}
	acked := make([][]string, len(keys))
	counts := make([]atomic.Int64, len(keys)) // len(acked[i]), readable while they write
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Go(func() {
			for n := 1; ; n++ {
				form := url.Values{key: {value(key, n)}, "_v." + key: {strconv.Itoa(n - 1)}}
				req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/assessments/%d/phases/1.1/answers/%s", p.url, a.ID, key), strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("HX-Request", "true")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("save %s %d = %d", key, n, resp.StatusCode)
					return
				}
				acked[i] = append(acked[i], value(key, n))
				counts[i].Add(1)
			}
		})
	}
	// Kill it once every writer is well under way (a busy machine may need
	// a while for that), in the middle of its saves.
	deadline := time.Now().Add(20 * time.Second)
	for ready := false; !ready && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		ready = true
		for i := range counts {
			ready = ready && counts[i].Load() >= 5
		}
	}
	time.Sleep(100 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not die of SIGKILL")
	}
	wg.Wait()

	total := 0
	for i, key := range keys {
		total += len(acked[i])
		have := map[string]bool{}
		rows, err := st.History(ctx, u.ID, a.ID, "answer", key)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rows {
			have[c.New] = true
		}
		var lost []string
		for _, v := range acked[i] {
			if !have[v] && !have[strconv.Quote(v)] { // text answers are stored as JSON strings
				lost = append(lost, v)
			}
		}
		if len(lost) > 0 || len(acked[i]) == 0 {
			t.Errorf("%s: %d saves acknowledged, %d of them not in the database: %q", key, len(acked[i]), len(lost), lost)
		}
	}
	t.Logf("%d saves acknowledged before SIGKILL", total)

	// A new process on the same database serves the assessment again.
	again := startServer(t, env...)
	resp, err = client.PostForm(again.url+"/signin", url.Values{"email": {"pm@example.org"}, "password": {pw}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in after the restart: %v %v", resp, err)
	}
	resp.Body.Close()
	if got := statusWith(t, client, fmt.Sprintf("%s/assessments/%d/phases/1.1", again.url, a.ID)); got != http.StatusOK {
		t.Errorf("the phase after the restart = %d", got)
	}
}

func statusWith(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
