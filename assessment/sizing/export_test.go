package sizing

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestWriteCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, runTestdata(t, "echis.yml")); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Split the records by summary.
	var summaries [][][]string
	for _, rec := range recs {
		if rec[0] == "Summary" {
			summaries = append(summaries, nil)
		}
		if len(summaries) > 0 {
			summaries[len(summaries)-1] = append(summaries[len(summaries)-1], rec)
		}
	}
	if len(summaries) != 3 {
		t.Fatalf("%d summaries in the CSV, want 3", len(summaries))
	}
	last := summaries[2]
	if got := strings.Join(last[0], ","); got != "Summary,2022-06,Users,20000" {
		t.Errorf("summary line = %q", got)
	}
	find := func(recs [][]string, first string, after string) []string {
		seen := after == ""
		for _, rec := range recs {
			if rec[0] == after {
				seen = true
			}
			if seen && rec[0] == first {
				return rec
			}
		}
		t.Fatalf("no row %q after %q", first, after)
		return nil
	}
	header := find(last, "Service", "Services")
	if header[4] != "VMs total" || header[7] != "Storage total (TB)" {
		t.Errorf("header = %v", header)
	}
	minio := find(last, "minio", "Services")
	if got := strings.Join(minio, ","); got != "minio,4,16,420,7,2,27.89,2.89,SSD,350" {
		t.Errorf("minio row = %s", got)
	}
	if got := find(last, "SSD", "Storage by group (TB)"); got[1] != "27.063" {
		t.Errorf("SSD = %v, want 27.063", got[1])
	}
	if got := find(last, "2x8", "VMs by size"); got[1] != "6" {
		t.Errorf("2x8 VMs = %v, want 6", got[1])
	}
	idx := 0
	for i, rec := range last {
		if rec[0] == "Totals" {
			idx = i
		}
	}
	if got := strings.Join(last[idx+2], ","); got != "31,91,348" {
		t.Errorf("totals row = %s, want 31,91,348", got)
	}
	// storage_only services have no per-VM figure: the cell is empty.
	var b2 bytes.Buffer
	res, _ := RunYAML([]byte(branchConfig))
	if err := WriteCSV(&b2, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b2.String(), "storage_only,0,0,,0,0,25,125,SAS,0") {
		t.Errorf("storage_only row missing or wrong:\n%s", b2.String())
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, runTestdata(t, "reach_40k.yml")); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"2019-12: 40,000 users, storage in TB",
		"Totals: 91 VMs, 1,896 cores, 8,792 GB RAM",
		"Storage by group (TB): SAS 19.6882, SSD 209.74, VM_os 5, VM_other 3.7",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	var riak string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "riakcs") {
			riak = strings.Join(strings.Fields(line), " ")
		}
	}
	if riak != "riakcs 32 128 15900 10 3 55.78 159 SSD 500" {
		t.Errorf("riakcs line = %q", riak)
	}
}

func TestWriteOpenCRVSText(t *testing.T) {
	e, err := EstimateOpenCRVS(crvsExample)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteOpenCRVSText(&buf, e); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"749,970 × 3 × 0.4 MB = 899,964 MB = 899.964 GB",
		"100 GB + 13.7469501 GB + 899.964 GB = 1,013.7109501 GB",
		"production   3",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFail }

var errFail = &FieldError{Problem: "disk full"}

func TestWritersReportErrors(t *testing.T) {
	r := runTestdata(t, "bka-test.yml")
	e, _ := EstimateOpenCRVS(crvsExample)
	for name, err := range map[string]error{
		"csv":      WriteCSV(failWriter{}, r),
		"xlsx":     WriteXLSX(failWriter{}, r),
		"text":     WriteText(failWriter{}, r),
		"opencrvs": WriteOpenCRVSText(failWriter{}, e),
	} {
		if err == nil {
			t.Errorf("%s: a failing writer gave no error", name)
		}
	}
}
