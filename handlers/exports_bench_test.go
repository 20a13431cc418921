package handlers_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
)

// BenchmarkCheckpointsCSV serves the checkpoint matrix of a half-done
// assessment (target: 10 ms).
func BenchmarkCheckpointsCSV(b *testing.B) { benchPage(b, "/checkpoints.csv") }

// BenchmarkReportXLSX serves the workbook of a half-done assessment.
func BenchmarkReportXLSX(b *testing.B) { benchPage(b, "/report.xlsx") }

// TestEvidencePackMemory streams a pack of 100 MB of evidence (ten files
// of 10 MB) over loopback HTTP into a file, sampling this process's Go
// memory during the stream: the server (and the client, in the same
// process) must stay under 150 MB of heap in use, however large the pack.
// The zip is then opened and every evidence file checked against the
// manifest. Skipped with -short.
func TestEvidencePackMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100 MB")
	}
	const files, size = 10, 10 << 20
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	id := handlerstest.MustID(t, base)
	cat, _ := assessment.Embedded()
	tpl, _ := cat.Template("commcare-transition", 1)
	data := make([]byte, size)
	for i := range files {
		rand.Read(data) // incompressible, like most evidence
		cp := []string{"architecture_diagram_created", "mobile_app_inventory_documented"}[i%2]
		if _, err := e.St.AddEvidence(context.Background(), e.Manager.ID, id, tpl, cp, "scan-"+strconv.Itoa(i)+".pdf", "application/pdf", data); err != nil {
			t.Fatal(err)
		}
	}
	data = nil

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap, baseSys := ms.HeapInuse, ms.Sys
	hwmBefore := vmHWM()
	var peakHeap, peakSys uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			mu.Lock()
			peakHeap, peakSys = max(peakHeap, m.HeapInuse), max(peakSys, m.Sys)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()

	began := time.Now()
	resp, err := b.Client.Get(e.Srv.URL + base + "/evidence.zip")
	if err != nil {
		t.Fatal(err)
	}
	firstByte := time.Since(began)
	path := filepath.Join(t.TempDir(), "pack.zip")
	out, _ := os.Create(path)
	n, err := io.Copy(out, resp.Body)
	resp.Body.Close()
	out.Close()
	took := time.Since(began)
	close(done)
	wg.Wait()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("evidence.zip = %d after %d bytes: %v", resp.StatusCode, n, err)
	}
	const mb = 1 << 20
	t.Logf("pack %.1f MB in %v (headers after %v); heap in use %.1f MB before, peak %.1f MB (+%.1f MB); Sys %.1f MB before, peak %.1f MB; VmHWM %s before, %s after",
		float64(n)/mb, took.Round(time.Millisecond), firstByte.Round(time.Millisecond), float64(baseHeap)/mb, float64(peakHeap)/mb,
		float64(peakHeap-baseHeap)/mb, float64(baseSys)/mb, float64(peakSys)/mb, hwmBefore, vmHWM())
	if n < files*size {
		t.Errorf("the pack is %d bytes, want more than the %d bytes of evidence", n, files*size)
	}
	if peakHeap > 150*mb {
		t.Errorf("heap in use peaked at %.1f MB while streaming, want under 150 MB", float64(peakHeap)/mb)
	}

	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	mf, err := zr.Open("MANIFEST.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	sc := bufio.NewScanner(mf)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "  ", 3)
		want[parts[2]] = parts[0]
	}
	checked := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "evidence/") {
			continue
		}
		rc, _ := zf.Open()
		h := sha256.New()
		m, _ := io.Copy(h, rc)
		rc.Close()
		if hex.EncodeToString(h.Sum(nil)) != want[zf.Name] || m != size {
			t.Errorf("%s: %d bytes, digest differs from the manifest's", zf.Name, m)
		}
		checked++
	}
	if checked != files {
		t.Errorf("%d evidence files in the pack, want %d", checked, files)
	}
}

// vmHWM is the process's peak resident set size, from /proc.
func vmHWM() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// TestEvidencePackOutlivesTheRequestTimeout: a pack that takes longer
// than the request timeout to download (a slow client) arrives whole.
func TestEvidencePackOutlivesTheRequestTimeout(t *testing.T) {
	// A second: time enough to start answering on a busy machine (with
	// 300 ms, a run beside other tests was once answered 503 before the
	// pack began).
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.RequestTimeout = time.Second })
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	id := handlerstest.MustID(t, base)
	cat, _ := assessment.Embedded()
	tpl, _ := cat.Template("commcare-transition", 1)
	data := make([]byte, 3<<20)
	rand.Read(data)
	for i := range 3 {
		if _, err := e.St.AddEvidence(context.Background(), e.Manager.ID, id, tpl, "architecture_diagram_created", "scan-"+strconv.Itoa(i)+".pdf", "application/pdf", data); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := b.Client.Get(e.Srv.URL + base + "/evidence.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("evidence.zip = %d", resp.StatusCode)
	}
	began := time.Now()
	var got bytes.Buffer
	buf := make([]byte, 256<<10)
	for {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes and %v: %v", got.Len(), time.Since(began), err)
		}
		time.Sleep(60 * time.Millisecond) // about 4 MB/s at most: 36 reads, over 2 s for the pack
	}
	if took := time.Since(began); took < 2*time.Second { // twice the timeout
		t.Fatalf("the download took %v: too fast to outlast the 1 s timeout", took)
	}
	zr, err := zip.NewReader(bytes.NewReader(got.Bytes()), int64(got.Len()))
	if err != nil {
		t.Fatalf("the slow download is not a whole zip: %v", err)
	}
	if n := len(zr.File); n != 8 { // 3 evidence files, checkpoints.csv, report.xlsx, export.json, SHA256SUMS, MANIFEST.txt
		t.Errorf("the zip holds %d files, want 8", n)
	}
}
