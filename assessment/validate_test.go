package assessment

import (
	"errors"
	"strings"
	"testing"
)

func typesTemplate(tb testing.TB) *Template {
	tb.Helper()
	tpl, err := ParseTemplate("types.yaml", []byte(mustRead(tb, "testdata/types.yaml")))
	if err != nil {
		tb.Fatal(err)
	}
	return tpl
}

func question(tb testing.TB, tpl *Template, key string) *Question {
	tb.Helper()
	q, ok := tpl.Question(key)
	if !ok {
		tb.Fatalf("no question %q", key)
	}
	return q
}

// problems returns the messages of Validate's error, or nil.
func problems(q *Question, v Value) []string {
	err := q.Validate(v)
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return []string{"not a ValidationError: " + err.Error()}
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field+": "+p.Message)
	}
	return out
}

func TestValidateScalars(t *testing.T) {
	tpl := typesTemplate(t)
	tests := []struct {
		key  string
		in   string
		want string // "" when valid
	}{
		{"short", "", ""}, // unanswered is not invalid
		{"short", "hello", ""},
		{"short", "héllo wörl", ""}, // 10 characters, 12 bytes
		{"short", "hello world", "short: must be at most 10 characters"},
		{"short", "a\tb", "short: contains characters that are not allowed"},
		{"short", "bad\xffutf8", "short: contains characters that are not allowed"},
		{"long", "line 1\nline\t2", ""},
		{"long", "x\x00y", "long: contains characters that are not allowed"},
		{"link", "https://example.org/a?b=c#d", ""},
		{"link", "HTTP://EXAMPLE.ORG", ""},
		{"link", "http://[2001:db8::1]:8080/x", ""},
		{"link", "example.org", "link: must be a web address starting with http:// or https://"},
		{"link", "https://exa mple.org", "link: must be a web address starting with http:// or https://"},
		{"link", "ftp://example.org", "link: must be a web address starting with http:// or https://"},
		{"link", "https://", "link: must be a web address starting with http:// or https://"},
		{"mail", "ops@moh.gov.example", ""},
		{"mail", "ops@localhost", "mail: must be an e-mail address such as name@example.org"},
		{"mail", "ops.moh.gov", "mail: must be an e-mail address such as name@example.org"},
		{"count", "3", ""},
		{"count", "3.0", ""},
		{"count", "3.5", "count: must be a whole number"},
		{"count", "0", "count: must be at least 1 server"},
		{"count", "6", "count: must be at most 5 servers"},
		{"count", "three", "count: must be a whole number such as 12 or 2,500"},
		{"count", "1e3", "count: must be a whole number such as 12 or 2,500"},
		{"count", "NaN", "count: must be a whole number such as 12 or 2,500"},
		{"count", "0x10", "count: must be a whole number such as 12 or 2,500"},
		{"ratio", "-1.5", ""},
		{"ratio", "-1.6", "ratio: must be at least -1.5"},
		{"ratio", "2.", "ratio: must be a number such as 12, 2.5 or 2,500"},
		{"count", "3 servers", "count: must be the number alone, such as 2,500: the unit (servers) is given beside the field"},
		{"ratio", "1.5 x", "ratio: must be the number alone, such as 2,500"},
		{"count", "three servers", "count: must be a whole number such as 12 or 2,500"},
		{"flag", "yes", ""},
		{"flag", "no", ""},
		{"flag", "maybe", "flag: must be yes or no"},
		{"pick", "b", ""},
		{"pick", "d", "pick: must be one of the listed choices"},
		{"pick", "B", "pick: must be one of the listed choices"},
		{"day", "2024-02-29", ""},
		{"day", "2023-02-29", "day: must be a whole day from 1900 on, such as 15 April 2027 (2027-04-15)"},
		{"day", "2024-13-01", "day: must be a whole day from 1900 on, such as 15 April 2027 (2027-04-15)"},
		{"day", "01/02/2024", "day: must be a whole day from 1900 on, such as 15 April 2027 (2027-04-15)"},
		{"host", "hq.example.org", ""},
		{"host", "example", "host: must be a domain name such as hq.example.org"},
		{"host", "203.0.113.10", "host: must be a domain name such as hq.example.org"},
		{"host", "-bad.example.org", "host: must be a domain name such as hq.example.org"},
		{"ip", "203.0.113.10", ""},
		{"ip", "2001:4860:4860::8888", ""},
		{"ip", "10.0.0.1", "ip: must be a public IP address, reachable from the internet"},
		{"ip", "192.168.1.1", "ip: must be a public IP address, reachable from the internet"},
		{"ip", "100.64.1.1", "ip: must be a public IP address, reachable from the internet"},
		{"ip", "127.0.0.1", "ip: must be a public IP address, reachable from the internet"},
		{"ip", "300.1.1.1", "ip: must be a public IP address, reachable from the internet"},
		{"dsn", "https://abc123@o1.ingest.sentry.io/42", ""},
		{"dsn", "https://abc123@sentry.moh.example:9000/sentry/7", ""},
		{"dsn", "https://sentry.io/42", "dsn: must be a Sentry DSN such as https://KEY@HOST/PROJECT_ID"},
		{"dsn", "https://abc@sentry.io/project", "dsn: must be a Sentry DSN such as https://KEY@HOST/PROJECT_ID"},
		{"dsn", "http://abc@sentry.io/1", "dsn: must be a Sentry DSN such as https://KEY@HOST/PROJECT_ID"},
	}
	for _, tt := range tests {
		q := question(t, tpl, tt.key)
		got := strings.Join(problems(q, Value{Text: tt.in}), "; ")
		if got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.key, tt.in, got, tt.want)
		}
	}
}

func TestValidateMultiChoice(t *testing.T) {
	q := question(t, typesTemplate(t), "picks")
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a", "c"}, ""},
		{[]string{"a", "x"}, `picks: "x": must be one of the listed choices`},
		{[]string{"a", "a"}, `picks: "a": each choice may be chosen once`},
	}
	for _, tt := range tests {
		if got := strings.Join(problems(q, Value{List: tt.in}), "; "); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidatePerson(t *testing.T) {
	tpl := typesTemplate(t)
	who, lead := question(t, tpl, "who"), question(t, tpl, "lead")
	tests := []struct {
		q    *Question
		in   Person
		want string
	}{
		{who, Person{}, ""},
		{who, Person{Name: "Ana", JobFunction: "Engineer"}, ""},
		{who, Person{Name: "Ana", JobFunction: "Engineer", Email: "ana@example.org"}, ""},
		{who, Person{Name: "Ana"}, "who.job_function: job function is required"},
		{who, Person{Email: "ana@example.org"}, "who.name: name is required; who.job_function: job function is required"},
		{who, Person{Name: "Ana", JobFunction: "Engineer", Email: "ana"}, "who.email: e-mail: must be an e-mail address such as name@example.org"},
		{lead, Person{Name: "Ana", JobFunction: "Engineer"}, "lead.email: e-mail is required"},
		{lead, Person{Name: "Ana", JobFunction: "Engineer", Email: "ana@example.org"}, ""},
		{who, Person{Name: strings.Repeat("n", 201), JobFunction: "Engineer"}, "who.name: name: must be at most 200 characters"},
	}
	for _, tt := range tests {
		if got := strings.Join(problems(tt.q, Value{Person: tt.in}), "; "); got != tt.want {
			t.Errorf("%s %+v: got %q, want %q", tt.q.Key, tt.in, got, tt.want)
		}
	}
}

func TestValidateTable(t *testing.T) {
	q := question(t, typesTemplate(t), "servers")
	good := []string{"db", "8", "32", "ssd", ""}
	tests := []struct {
		name string
		rows [][]string
		want string
	}{
		{"empty", nil, ""},
		{"two good rows", [][]string{good, good}, ""},
		{"too few rows", [][]string{good}, "servers: at least 2 rows are required"},
		{"optional cell filled", [][]string{good, {"db", "8", "32", "hdd", "spare"}}, ""},
		{"bad cells name row and column", [][]string{good, {"web", "2.5", "lots", "ssd", ""}},
			"servers.1.cpus: row 2, CPUs: must be a whole number; servers.1.ram_gb: row 2, RAM (GB): must be a number such as 12, 2.5 or 2,500"},
		{"required cell", [][]string{{"", "8", "32", "ssd", ""}, good}, "servers.0.role: row 1, Role is required"},
		{"bad choice", [][]string{good, {"db", "8", "32", "nvme", ""}}, "servers.1.disk_type: row 2, Disk type: must be one of the listed choices"},
		{"too many rows", [][]string{good, good, good, good}, "servers: at most 3 rows are allowed"},
		{"ragged row", [][]string{{"db", "8"}, good}, "servers: row 1 does not match the table's columns"},
	}
	for _, tt := range tests {
		if got := strings.Join(problems(q, Value{Rows: tt.rows}), "; "); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// Problems carry the row (from 1) and column so a page can mark the cell.
	var ve *ValidationError
	errors.As(q.Validate(Value{Rows: [][]string{good, {"web", "x", "4", "ssd", ""}}}), &ve)
	if ve == nil || len(ve.Problems) != 1 || ve.Problems[0].Row != 2 || ve.Problems[0].Column != "cpus" {
		t.Errorf("got %+v, want one problem at row 2, column cpus", ve)
	}
	if ve != nil && ve.Error() != "'servers': row 2, CPUs: must be a whole number such as 12 or 2,500" {
		t.Errorf("Error() = %q", ve.Error())
	}
}

func TestValidateMinRows(t *testing.T) {
	tpl := commcare(t)
	q := question(t, tpl, "mobile_apps") // min_rows 1 and every column required
	if got := problems(q, Value{Rows: [][]string{{"App", "2.1", "-4"}}}); len(got) != 1 || got[0] != "mobile_apps.0.users: row 1, Mobile users: must be at least 0" {
		t.Errorf("got %v", got)
	}
}

// A limit is said with its thousands grouped, as the page's character
// counter says it ("at most 20,000"), not as "20000".
func TestTooLongSaysTheLimitGrouped(t *testing.T) {
	if got := faultTooLong.message(TypeLongText, &Constraints{}); got != "must be at most 20,000 characters" {
		t.Errorf("long text: %q", got)
	}
	if got := faultTooLong.message(TypeShortText, &Constraints{MaxLength: 200}); got != "must be at most 200 characters" {
		t.Errorf("short text: %q", got)
	}
}

// A unit after the number 1 is singular: "at least 1 person", not "1
// people"; symbols and rates stay as they are.
func TestUnitFor(t *testing.T) {
	for _, c := range []struct {
		n          float64
		unit, want string
	}{
		{1, "people", "person"}, {2, "people", "people"}, {1, "days", "day"}, {1, "business days", "business day"},
		{1, "users", "user"}, {0, "users", "users"}, {1.5, "months", "months"}, {1, "GB", "GB"}, {1, "Mbps", "Mbps"},
		{1, "ms", "ms"}, {1, "per 1000 people", "per 1000 people"}, {1, "", ""},
	} {
		if got := UnitFor(c.n, c.unit); got != c.want {
			t.Errorf("UnitFor(%v, %q) = %q, want %q", c.n, c.unit, got, c.want)
		}
	}
	if got := formatAmount(1, "people"); got != "1 person" {
		t.Errorf("formatAmount(1, people) = %q, want 1 person", got)
	}
}
