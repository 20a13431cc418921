package assessment

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzDecodeForm feeds arbitrary posted form values to DecodeForm and
// Validate, as the phase and answer forms do, for a question of every
// type: the plain field (one or two values), a person's three fields, and
// table cells KEY.ROW.COLUMN for every column plus one field named by the
// fuzzer. Nothing may panic; an answer that decodes and validates must
// survive Encode and Decode unchanged, export as valid JSON, and evaluate.
func FuzzDecodeForm(f *testing.F) {
	tpl := typesTemplate(f)
	seen := map[QuestionType]bool{}
	for _, q := range tpl.Questions() {
		seen[q.Type] = true
	}
	for _, typ := range []QuestionType{TypeShortText, TypeLongText, TypeURL, TypeEmail, TypeNumber, TypeYesNo,
		TypeSingleChoice, TypeMultiChoice, TypeDate, TypePerson, TypeTable} {
		if !seen[typ] {
			f.Fatalf("testdata/types.yaml has no %s question: the fuzzer would not reach its decoder", typ)
		}
	}
	for _, s := range [][4]string{
		{"", "", "0", ""},
		{"hello", "world", "0", ""},
		{"1 234,5", "-0", "3", "1.cpus"},
		{"yes", "no", "0", "x"},
		{"2024-02-29", "2023-02-29", "1", "99999.role"},
		{"https://example.org/a?b", "mailto:x", "0", "-1.cpus"},
		{"a@b.org", "\xff", "2", "0.unknown"},
		{"1e400", "NaN", "0", "0"},
		{" \u00a0\t", "\u202e", "7", "0.ram_gb"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	qs := tpl.Questions()
	f.Fuzz(func(t *testing.T, a, b, row, field string) {
		for _, q := range qs {
			form := map[string][]string{
				q.Key:                   {a, b},
				q.Key + ".name":         {a},
				q.Key + ".job_function": {b},
				q.Key + ".email":        {a},
			}
			for i, c := range q.Columns {
				v := a
				if i%2 == 1 {
					v = b
				}
				form[q.Key+"."+row+"."+c.Key] = []string{v}
			}
			if field != "" {
				form[q.Key+"."+field] = []string{b}
			}
			v, err := q.DecodeForm(form)
			if err != nil {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("%s: DecodeForm error %v is a %T, want a *DecodeError", q.Key, err, err)
				}
				continue
			}
			if q.Validate(v) != nil {
				continue
			}
			enc := q.Encode(v)
			back, err := q.Decode(enc)
			if err != nil {
				t.Fatalf("%s: Decode(Encode(%#v)) = %q failed: %v", q.Key, v, enc, err)
			}
			if !reflect.DeepEqual(back, v) && !(q.empty(&back) && q.empty(&v)) {
				t.Fatalf("%s: round trip gave %#v, want %#v", q.Key, back, v)
			}
			if j := q.JSONValue(v); !json.Valid(j) {
				t.Fatalf("%s: JSONValue(%#v) = %s, not JSON", q.Key, v, j)
			}
			if q.Type.scalar() {
				if again := normalizeScalar(q.Type, v.Text); again != v.Text {
					t.Fatalf("%s: normalising %q again gave %q", q.Key, v.Text, again)
				}
			}
			tpl.Evaluate(Input{Answers: map[string]Value{q.Key: v}})
		}
	})
}
