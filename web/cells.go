package web

import (
	"slices"
	"strings"
)

// faultyCells lists the table cells at fault as "row.column" keys separated
// by spaces, for the save state: after an autosave, which replaces only the
// state, the script marks these cells, and only these, invalid.
func faultyCells(q QuestionView) string {
	keys := make([]string, 0, len(q.Cells))
	for k := range q.Cells {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}
