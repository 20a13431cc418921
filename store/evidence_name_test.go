package store

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Long names are cut from the front, on a character boundary, so that
// PostgreSQL never sees half a character; invalid bytes become U+FFFD.
func TestCleanFilenameStaysValidUTF8(t *testing.T) {
	for _, name := range []string{
		strings.Repeat("ሰ", 90) + ".pdf",  // Amharic: 3 bytes a character
		strings.Repeat("ภ", 100) + ".pdf", // Thai
		"a" + strings.Repeat("é", 150) + ".pdf",
		"bad\xff\xfebytes.pdf",
		`C:\Users\amina\plan "final".pdf`,
	} {
		got := cleanFilename(name)
		if !utf8.ValidString(got) {
			t.Errorf("cleanFilename(%q) = %q: not valid UTF-8", name, got)
		}
		if len(got) > 200 || !strings.HasSuffix(got, ".pdf") || strings.ContainsAny(got, `"\/`) {
			t.Errorf("cleanFilename(%q) = %q", name, got)
		}
	}
}
