package handlers

import (
	"strings"
	"testing"

	"groundwork/store"
)

func TestPackPath(t *testing.T) {
	for _, c := range []struct {
		name, want string
	}{
		{"diagram.png", "evidence/1.1/7-diagram.png"},
		{"../../etc/passwd", "evidence/1.1/7-etc_passwd"},
		{"=cmd|' /C calc'!A0.csv", "evidence/1.1/7-cmd____C_calc__A0.csv"},
		{"invoice\u202egnp.exe", "evidence/1.1/7-invoice_gnp.exe"},
		{"Plan de sauvegarde é.pdf", "evidence/1.1/7-Plan_de_sauvegarde_é.pdf"},
		{"Plan de sauvegarde e\u0301.pdf", "evidence/1.1/7-Plan_de_sauvegarde_e\u0301.pdf"}, // an accent as its own mark
		{"የመረጃ ማዕከል ዕቅድ.pdf", "evidence/1.1/7-የመረጃ_ማዕከል_ዕቅድ.pdf"},
		{"خطة النسخ\u200f.pdf", "evidence/1.1/7-خطة_النسخ_.pdf"},                                  // a direction mark is not a letter
		{"ملف\u202e\u2066fdp.exe", "evidence/1.1/7-ملف__fdp.exe"},                                 // nor an override or isolate
		{strings.Repeat("é", 150) + ".pdf", "evidence/1.1/7-" + strings.Repeat("é", 96) + ".pdf"}, // characters, not bytes
		{"...", "evidence/1.1/7-evidence"},
		{strings.Repeat("a", 300) + ".pdf", "evidence/1.1/7-" + strings.Repeat("a", 96) + ".pdf"},
	} {
		if got := packPath("1.1", store.Evidence{ID: 7, Filename: c.name}); got != c.want {
			t.Errorf("packPath(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestPackPathPhase: a phase key (lowercase letters, digits and dots in a
// template) never makes a path step out of the evidence folder.
func TestPackPathPhase(t *testing.T) {
	for phase, want := range map[string]string{"2.1": "evidence/2.1/7-a.pdf", "..": "evidence/__/7-a.pdf", ".": "evidence/_/7-a.pdf", "1..2": "evidence/1__2/7-a.pdf", "a.": "evidence/a_/7-a.pdf"} {
		if got := packPath(phase, store.Evidence{ID: 7, Filename: "a.pdf"}); got != want {
			t.Errorf("packPath(%q, a.pdf) = %q, want %q", phase, got, want)
		}
	}
}
