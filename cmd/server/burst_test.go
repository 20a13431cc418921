package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"groundwork/store"
	"groundwork/store/storetest"
)

// TestBurstsStayWithinMemory fires 32 sign-ins at once, then 8 XLSX
// resource-model downloads of the largest config the portal accepts, at
// the real server process, and reads its peak resident memory (VmHWM)
// after each: at most 200 MB (without the gates: 229 MB and 294 MB here,
// 636 MB and 222-245 MB in scripts/burst, which starts a fresh process per
// burst; here the second burst starts from what the first left).
func TestBurstsStayWithinMemory(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector multiplies memory use; the figures hold for normal builds")
	}
	ctx := context.Background()
	dsn := storetest.DSN(t)
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const pw = "ledger of quiet harbours"
	if _, err := st.CreateUser(ctx, store.NewUser{Email: "advisor@example.org", Name: "Advisor", Role: store.RoleAdvisor, Password: pw}); err != nil {
		t.Fatal(err)
	}
	// Two processors, as on the machine the 200 MB target was set for:
	// hashing runs one hash per processor at once, 19 MiB each.
	p := startServer(t, "DATABASE_URL="+dsn, "SESSION_SECRET="+strings.Repeat("m", 40), "DATA_DIR="+reachableDir(t), "LOG_LEVEL=error", "GOMAXPROCS=2")
	pid := p.cmd.Process.Pid
	if _, err := os.Stat(fmt.Sprintf("/proc/%d/clear_refs", pid)); err != nil {
		t.Skip("no /proc to read the peak memory from")
	}
	const limitMB = 200
	burst := func(name string, n int, req func() *http.Request) {
		t.Helper()
		// Start the peak over from what the process holds now.
		if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
			t.Fatal(err)
		}
		codes := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for range n {
			r := req()
			wg.Go(func() {
				code := 0
				if resp, err := client.Do(r); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			})
		}
		wg.Wait()
		peak := procStatusKB(t, pid, "VmHWM") >> 10
		t.Logf("%s: peak %d MB, answers %v", name, peak, codes)
		if peak > limitMB {
			t.Errorf("%s: the server peaked at %d MB, want at most %d", name, peak, limitMB)
		}
	}
	burst("32 sign-ins", 32, func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, p.url+"/signin", strings.NewReader(url.Values{"email": {"advisor@example.org"}, "password": {pw}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	})
	config := budgetConfig()
	burst("8 XLSX models", 8, func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, p.url+"/api/v1/sizing/commcare/model?format=xlsx", strings.NewReader(config))
		return r
	})
}

// budgetConfig is a resource-model config of exactly the portal's budget:
// 50 scenarios × 2 summary dates × 10 services = 1,000 table rows.
func budgetConfig() string {
	var b strings.Builder
	b.WriteString("estimation_buffer: 0.25\nestimation_growth_factor: 0.01\nstorage_buffer: 0.33\nvm_os_storage_gb: 50\nvm_os_storage_group: VM_os\n")
	b.WriteString("summary_dates: ['2029-06', '2029-12']\nusage:\n")
	b.WriteString("  users: {model: date_range_value, ranges: [['20200101', '20291201', '{users}']]}\n")
	b.WriteString("  forms: {model: derived_factor, dependant_field: users, factor: '{forms}'}\n")
	b.WriteString("  forms_total: {model: cumulative, dependant_field: forms, start_with: 1000}\nservices:\n")
	for i := range 10 {
		fmt.Fprintf(&b, "  service_%d: {usage_capacity_per_node: %d, storage: {group: SSD, data_models: [", i, 1000+i)
		for j := range 4 {
			fmt.Fprintf(&b, "{referenced_field: forms_total, unit_size: %d}, ", 100+j)
		}
		fmt.Fprintf(&b, "]}, process: {cores_per_node: 2, ram_per_node: 8, ram_model: [{referenced_field: users, unit_size: %d}]}}\n", 10+i)
	}
	b.WriteString("sets:\n  size: [")
	for i := range 10 {
		fmt.Fprintf(&b, "{name: size%d, users: %d}, ", i, 1000*(i+1))
	}
	b.WriteString("]\n  pace: [{name: p1, forms: 10}, {name: p2, forms: 20}, {name: p3, forms: 30}, {name: p4, forms: 40}, {name: p5, forms: 50}]\n")
	return b.String()
}

// procStatusKB reads a kB figure (VmRSS, VmHWM) of process pid.
func procStatusKB(t *testing.T, pid int, key string) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == key {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", key, pid)
	return 0
}
