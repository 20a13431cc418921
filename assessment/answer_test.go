package assessment

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tpl := typesTemplate(t)
	tests := []struct {
		key     string
		raw     string
		want    Value
		wantErr string
	}{
		{key: "short", raw: "  hi there \n", want: Value{Text: "hi there"}},
		{key: "short", raw: "ZICTA GovNet\tWireGuard\t", want: Value{Text: "ZICTA GovNet WireGuard"}}, // pasted from a spreadsheet
		{key: "long", raw: "a\r\nb\rc\n", want: Value{Text: "a\nb\nc"}},
		{key: "flag", raw: " Yes", want: Value{Text: "yes"}},
		{key: "flag", raw: "FALSE", want: Value{Text: "no"}},
		{key: "flag", raw: "maybe", want: Value{Text: "maybe"}}, // Validate reports it
		{key: "count", raw: " 4 ", want: Value{Text: "4"}},
		{key: "picks", raw: "", want: Value{}},
		{key: "picks", raw: `["c","a","a"," b ",""]`, want: Value{List: []string{"a", "b", "c"}}},
		{key: "picks", raw: `["x","b"]`, want: Value{List: []string{"b", "x"}}},
		{key: "picks", raw: `null`, want: Value{}},
		{key: "picks", raw: `"a"`, wantErr: "must be a JSON array of choices"},
		{key: "picks", raw: `["a"] ["b"]`, wantErr: "must be a JSON array of choices"},
		{key: "picks", raw: `[1]`, wantErr: "must be a JSON array of choices"},
		{key: "who", raw: `{"name":" Ana ","job_function":"Engineer"}`, want: Value{Person: Person{Name: "Ana", JobFunction: "Engineer"}}},
		{key: "who", raw: `{"name":"Ana","phone":"1"}`, wantErr: `must be a JSON object with "name", "job_function" and "email"`},
		{key: "who", raw: `["Ana"]`, wantErr: `must be a JSON object`},
		{key: "servers", raw: `[{"role":"db","cpus":8,"ram_gb":"32","disk_type":"ssd"},{},{"role":" web ","cpus":2.5,"note":null}]`,
			want: Value{Rows: [][]string{{"db", "8", "32", "ssd", ""}, {"web", "2.5", "", "", ""}}}},
		{key: "servers", raw: `[{"role":"db","colour":"red"}]`, wantErr: `row 1: unknown column "colour"`},
		{key: "servers", raw: `[{"role":{"a":1}}]`, wantErr: "row 1, Role: must be text or a number"},
		{key: "servers", raw: `{"role":"db"}`, wantErr: "must be a JSON array of rows"},
		{key: "servers", raw: "[" + strings.Repeat("{},", 1000) + "{}]", wantErr: "must have at most 1000 rows"},
		{key: "short", raw: strings.Repeat("x", MaxAnswerBytes+1), wantErr: "the answer is too long"},
	}
	for _, tt := range tests {
		q := question(t, tpl, tt.key)
		got, err := q.Decode(tt.raw)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s %.40q: got error %v, want %q", tt.key, tt.raw, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %.40q: unexpected error %v", tt.key, tt.raw, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %.40q: got %#v, want %#v", tt.key, tt.raw, got, tt.want)
		}
	}
}

func TestEncode(t *testing.T) {
	tpl := typesTemplate(t)
	tests := []struct {
		key  string
		in   Value
		want string
	}{
		{"short", Value{Text: "hi"}, "hi"},
		{"picks", Value{List: []string{"a", "c"}}, `["a","c"]`},
		{"picks", Value{}, ""},
		{"who", Value{Person: Person{Name: "Ana", JobFunction: "Eng"}}, `{"name":"Ana","job_function":"Eng"}`},
		{"who", Value{}, ""},
		{"servers", Value{Rows: [][]string{{"db", "8", "32.5", "ssd", ""}, {"a<b", "007", "-0", "hdd", "x"}}},
			`[{"role":"db","cpus":8,"ram_gb":32.5,"disk_type":"ssd"},{"role":"a\u003cb","cpus":"007","ram_gb":-0,"disk_type":"hdd","note":"x"}]`},
		{"servers", Value{}, ""},
	}
	for _, tt := range tests {
		q := question(t, tpl, tt.key)
		got := q.Encode(tt.in)
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.key, got, tt.want)
		}
		back, err := q.Decode(got)
		if err != nil || !reflect.DeepEqual(back, tt.in) {
			t.Errorf("%s: round trip gave %#v, %v; want %#v", tt.key, back, err, tt.in)
		}
	}
}

func TestDecodeForm(t *testing.T) {
	tpl := typesTemplate(t)
	tests := []struct {
		key     string
		form    map[string][]string
		want    Value
		wantErr string
	}{
		{key: "count", form: map[string][]string{"count": {" 3 ", "4"}}, want: Value{Text: "3"}},
		{key: "count", form: map[string][]string{}, want: Value{}},
		{key: "flag", form: map[string][]string{"flag": {"true"}}, want: Value{Text: "yes"}},
		{key: "picks", form: map[string][]string{"picks": {"c", "a", "c"}}, want: Value{List: []string{"a", "c"}}},
		{key: "who", form: map[string][]string{"who.name": {"Ana "}, "who.job_function": {"Eng"}, "who.email": {""}},
			want: Value{Person: Person{Name: "Ana", JobFunction: "Eng"}}},
		{key: "servers", form: map[string][]string{
			"servers.7.role": {"web"}, "servers.7.cpus": {"4"},
			"servers.2.role": {"db"}, "servers.2.disk_type": {"ssd"},
			"servers.3.role": {""}, "servers.3.cpus": {" "}, // an emptied row disappears
			"serversx.1.role": {"ignored: another field"},
			"count":           {"ignored"},
		}, want: Value{Rows: [][]string{{"db", "", "", "ssd", ""}, {"web", "4", "", "", ""}}}},
		{key: "servers", form: map[string][]string{"servers.x.role": {"db"}}, wantErr: "bad row number"},
		{key: "servers", form: map[string][]string{"servers.-1.role": {"db"}}, wantErr: "bad row number"},
		{key: "servers", form: map[string][]string{"servers.99999999.role": {"db"}}, wantErr: "bad row number"},
		{key: "servers", form: map[string][]string{"servers.1.colour": {"red"}}, wantErr: `unknown column "colour"`},
		{key: "servers", form: map[string][]string{"servers.1": {"db"}}, wantErr: "is not KEY.ROW.COLUMN"},
	}
	for _, tt := range tests {
		q := question(t, tpl, tt.key)
		got, err := q.DecodeForm(tt.form)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s %v: got error %v, want %q", tt.key, tt.form, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %v: got %#v, %v; want %#v", tt.key, tt.form, got, err, tt.want)
		}
	}
	q := question(t, tpl, "servers")
	if got := q.CellFieldName(2, "cpus"); got != "servers.2.cpus" {
		t.Errorf("CellFieldName = %q", got)
	}
	if got := question(t, tpl, "who").PersonFieldName("email"); got != "who.email" {
		t.Errorf("PersonFieldName = %q", got)
	}
}

// FuzzDecodeAnswer feeds arbitrary text to every question type's decoders.
// Decoding must never panic; a value that decodes and validates must
// survive Encode and Decode unchanged and evaluate without panicking.
func FuzzDecodeAnswer(f *testing.F) {
	tpl := typesTemplate(f)
	for _, s := range []string{
		"", "x", "3", "-1.5", "yes", "2024-02-29", "https://example.org", "a@b.org",
		`["a","b"]`, `{"name":"A","job_function":"B","email":"a@b.org"}`,
		`[{"role":"db","cpus":8,"ram_gb":"32","disk_type":"ssd"},{"role":"web","cpus":2,"ram_gb":4,"disk_type":"hdd"}]`,
		`[{"cpus":1e400}]`, `[{"role":true}]`, "\xff\xfe", `{"name":"\ud800"}`, `[null,{}]`,
	} {
		f.Add(s)
	}
	qs := tpl.Questions()
	f.Fuzz(func(t *testing.T, raw string) {
		for _, q := range qs {
			v, err := q.Decode(raw)
			form := map[string][]string{q.Key: {raw}, q.Key + "." + raw: {raw}, q.Key + ".0." + raw: {raw}}
			_, _ = q.DecodeForm(form)
			if err != nil {
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
			if !reflect.DeepEqual(back, v) {
				t.Fatalf("%s: round trip of %q gave %#v, want %#v", q.Key, raw, back, v)
			}
			tpl.Evaluate(Input{Answers: map[string]Value{q.Key: v}})
		}
	})
}

func TestJSONValue(t *testing.T) {
	tpl := typesTemplate(t)
	tests := []struct {
		key  string
		in   Value
		want string
	}{
		{"short", Value{}, "null"},
		{"short", Value{Text: `say "hi"`}, `"say \"hi\""`},
		{"count", Value{Text: "3"}, "3"},
		{"count", Value{Text: "007"}, `"007"`},
		{"picks", Value{List: []string{"a"}}, `["a"]`},
		{"who", Value{Person: Person{Name: "A", JobFunction: "B"}}, `{"name":"A","job_function":"B"}`},
		{"servers", Value{}, "null"},
	}
	for _, tt := range tests {
		if got := string(question(t, tpl, tt.key).JSONValue(tt.in)); got != tt.want {
			t.Errorf("%s %#v: got %s, want %s", tt.key, tt.in, got, tt.want)
		}
	}
}
