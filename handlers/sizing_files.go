package handlers

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime"
	"net/http"
	"strconv"

	"groundwork/assessment/csvsafe"
	"groundwork/assessment/sizing"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// writeModel answers a resource-model result as JSON, or as a CSV or XLSX
// file named base.
func writeModel(w http.ResponseWriter, r *sizing.Result, format, base string) error {
	switch format {
	case "csv":
		return sendFile(w, "text/csv; charset=utf-8", base+".csv", func(out io.Writer) error { return sizing.WriteCSV(out, r) })
	case "xlsx":
		return sendFile(w, xlsxType, base+".xlsx", func(out io.Writer) error { return sizing.WriteXLSX(out, r) })
	}
	writeJSON(w, http.StatusOK, r)
	return nil
}

// writeCRVS answers an OpenCRVS estimate as JSON, or as a CSV or text file.
func writeCRVS(w http.ResponseWriter, e *sizing.OpenCRVSEstimate, format string) error {
	switch format {
	case "csv":
		return sendFile(w, "text/csv; charset=utf-8", "opencrvs-estimate.csv", func(out io.Writer) error { return crvsCSV(out, e) })
	case "text":
		return sendFile(w, "text/plain; charset=utf-8", "opencrvs-estimate.txt", func(out io.Writer) error { return sizing.WriteOpenCRVSText(out, e) })
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// sendFile renders a download into a buffer first, so a failure is an
// error page rather than half a file, then sends it as an attachment.
func sendFile(w http.ResponseWriter, contentType, filename string, write func(io.Writer) error) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := write(buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes()) // the client may have gone; nothing more to do
	return nil
}

// crvsCSV writes an OpenCRVS estimate as three tables: the servers, the
// disk calculation step by step, and the notes. Numbers are plain, without
// thousands separators, for spreadsheets; every text cell goes through
// csvsafe.Text.
func crvsCSV(out io.Writer, e *sizing.OpenCRVSEstimate) error {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	t := csvsafe.Text
	recs := [][]string{
		{"OpenCRVS estimate", t(e.Scale), "Records per year", f(e.RecordsPerYear), "Years", strconv.Itoa(e.Years)},
		{""},
		{"Environment", "Servers", "RAM (GB)", "CPUs", "Disk (GB)", "OS", "Architecture"},
	}
	for _, env := range e.Environments {
		recs = append(recs, []string{t(env.Name), strconv.Itoa(env.Count), strconv.Itoa(env.RAMGB), strconv.Itoa(env.CPUs), f(env.DiskGB), t(env.OS), t(env.Arch)})
	}
	recs = append(recs, []string{""}, []string{"Step", "Formula", "Value", "Unit"})
	for _, st := range e.Breakdown {
		recs = append(recs, []string{t(st.Name), t(st.Formula), f(st.Value), t(st.Unit)})
	}
	recs = append(recs, []string{""}, []string{"Notes"})
	for _, n := range e.Notes {
		recs = append(recs, []string{t(n)})
	}
	cw := csv.NewWriter(out)
	return cw.WriteAll(recs)
}
