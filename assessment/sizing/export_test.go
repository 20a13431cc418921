package sizing

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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

func TestWriteXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, runTestdata(t, "echis.yml")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := strings.Join(f.GetSheetList(), "|")
	if want := "2021-07 - 12.6K users|2021-12 - 16.2K users|2022-06 - 20K users|Services"; got != want {
		t.Fatalf("sheets = %s, want %s", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet = %d, want the first summary", f.GetActiveSheetIndex())
	}

	rows, err := f.GetRows("Services")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != "Date" || rows[0][3] != "Service" || rows[0][7] != "VMs total" || rows[0][10] != "Storage total" {
		t.Errorf("Services header = %v", rows[0])
	}
	if len(rows) != 1+3*15 {
		t.Errorf("Services has %d rows, want 46", len(rows))
	}
	var found bool
	for _, row := range rows[1:] {
		if row[1] == "2022-06" && row[3] == "minio" {
			found = true
			if row[7] != "7" || row[10] != "2.89" || row[11] != "SSD" {
				t.Errorf("minio at 2022-06 = %v; want 7 VMs, 2.89 TB, SSD", row)
			}
		}
	}
	if !found {
		t.Error("no minio row at 2022-06")
	}
	// Numbers are stored as numbers, not text.
	if typ, _ := f.GetCellType("Services", "H2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("VMs total is stored as text")
	}

	sheet := "2021-07 - 12.6K users"
	rows, err = f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "Summary,2021-07,Users,12600" {
		t.Errorf("title row = %s", got)
	}
	for i, row := range rows {
		if len(row) > 0 && row[0] == "Totals" {
			if got := strings.Join(rows[i+2], ","); got != "29,83,316" {
				t.Errorf("totals = %s, want 29,83,316", got)
			}
		}
		if len(row) > 1 && row[0] == "SAS" && row[1] != "0.45463" {
			t.Errorf("SAS = %s, want 0.45463", row[1])
		}
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	s := &Summary{Date: "2019-12", Users: 40000, Set: "a-very-long-scenario-name/with:bad*chars"}
	a := sheetName(s, used)
	b := sheetName(s, used)
	if len([]rune(a)) > 31 || len([]rune(b)) > 31 || a == b {
		t.Errorf("names %q and %q: want distinct, at most 31 characters", a, b)
	}
	if strings.ContainsAny(a, `:\/?*[]`) {
		t.Errorf("name %q has characters Excel refuses", a)
	}
	if got := sheetName(&Summary{Date: "2024-08", Users: 1000}, map[string]bool{}); got != "2024-08 - 1K users" {
		t.Errorf("name = %q, want 2024-08 - 1K users", got)
	}
	if got := sheetName(&Summary{Date: "2024-08", Users: 500}, map[string]bool{}); got != "2024-08 - 500 users" {
		t.Errorf("name = %q, want 2024-08 - 500 users", got)
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
