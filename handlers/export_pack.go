package handlers

import (
	"strconv"
	"strings"
	"unicode"

	"groundwork/store"
)

// packPath is where an evidence file lives inside the evidence pack
// (evidence.zip) and what export.json's "file" names:
// evidence/<phase key>/<evidence id>-<file name>, the name reduced to
// letters and digits of any script (with their accents), dot, dash and
// underscore, so that no archive tool reads it as a path or a bidi trick,
// and its last 100 characters. The id, first, keeps two files of the same
// name apart and any name from reading as a formula.
func packPath(phase string, e store.Evidence) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '.' || r == '-' || r == '_':
			return r
		default:
			return '_'
		}
	}, e.Filename)
	name = strings.TrimLeft(name, "._-")
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	if name == "" {
		name = "evidence"
	}
	if strings.Contains(phase, "..") || strings.HasPrefix(phase, ".") || strings.HasSuffix(phase, ".") {
		// A template may name a phase "..": never a path step.
		phase = strings.ReplaceAll(phase, ".", "_")
	}
	return "evidence/" + phase + "/" + strconv.FormatInt(e.ID, 10) + "-" + name
}
