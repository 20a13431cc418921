// Package csvsafe keeps text cells of the CSV files the portal writes from
// being read as formulas by a spreadsheet (CSV, or formula, injection).
//
// A spreadsheet that opens a CSV file evaluates a cell beginning with =, +,
// -, @, a tab or a carriage return as a formula; a name typed by one person
// can then run a command on the machine of whoever opens the file. OWASP's
// rule is applied: such a cell is prefixed with a single quote, which the
// spreadsheet shows as text, and encoding/csv quotes the cell when it holds
// a quote, a separator or a line break. Numbers written by the program are
// not text cells and must not be passed through Text: a negative number
// stays a number.
package csvsafe

// Text returns s made safe for a CSV text cell: s itself, or s prefixed
// with a single quote when its first character would start a formula (=, +,
// -, @, tab or carriage return). Every CSV writer of the portal passes each
// text cell through it.
func Text(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
