package handlers

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment/csvsafe"
)

// checkpointsCSV is the checkpoint matrix (checkpointMatrix) as CSV:
// UTF-8 without a byte order mark, like the sizing and portfolio CSVs;
// times in UTC as RFC 3339; every text cell through csvsafe.Text.
func (h *handler) checkpointsCSV(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	talk, err := h.talk(r, ws)
	if err != nil {
		return err
	}
	rows := checkpointMatrix(ws, talk)
	return sendFile(w, "text/csv; charset=utf-8", "assessment-"+itoa(ws.stored.ID)+"-checkpoints.csv", func(out io.Writer) error {
		return writeMatrixCSV(out, rows)
	})
}

// writeMatrixCSV writes the matrix with its header.
func writeMatrixCSV(out io.Writer, rows []matrixRow) error {
	t := csvsafe.Text
	at := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	}
	files := func(names []string) string {
		for i, n := range names {
			names[i] = t(n)
		}
		return strings.Join(names, "\n")
	}
	cw := csv.NewWriter(out)
	if err := cw.Write(matrixHeader); err != nil {
		return err
	}
	for _, m := range rows {
		rec := []string{t(m.Phase), t(m.PhaseTitle), t(m.PhaseStatus), t(m.Key), t(m.Checkpoint), yesNo(m.Blocking), confirmedWords(m.Confirmed),
			t(m.ConfirmedBy), at(m.ConfirmedAt), t(m.EvidenceURL), files(append([]string(nil), m.Files...)), t(m.Note),
			t(m.Decision), t(m.DecidedBy), at(m.DecidedAt), t(m.DecisionNote), strconv.Itoa(m.OpenThreads), t(m.OpenText)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
