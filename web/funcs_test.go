package web

import (
	"encoding/json"
	"testing"
)

// opVals must always be the JSON object {"_op": op}, whichever way it is
// built.
func TestOpVals(t *testing.T) {
	for _, op := range []string{"add:hosting_sites", "remove:servers:3", `odd"key\`, "<b>", "ünïcode", "tab\there", ""} {
		var got map[string]string
		if err := json.Unmarshal([]byte(opVals(op)), &got); err != nil {
			t.Fatalf("opVals(%q) = %s: %v", op, opVals(op), err)
		}
		if len(got) != 1 || got["_op"] != op {
			t.Errorf("opVals(%q) decodes to %v", op, got)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 people"}, {1, "1 person"}, {2, "2 people"}} {
		if got := plural(c.n, "person", "people"); got != c.want {
			t.Errorf("plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// The comment box's hint gives as its example a handle that is the start
// of an e-mail address, as it says, not a whole address (the handle of two
// people who share a start).
func TestExampleHandle(t *testing.T) {
	for _, c := range []struct {
		handles []string
		want    string
	}{
		{[]string{"admin@walk3.test", "amina"}, "amina"},
		{[]string{"amina", "admin@walk3.test"}, "amina"},
		{[]string{"admin@walk3.test"}, ""},
		{nil, ""},
	} {
		var d DiscussionView
		for _, h := range c.handles {
			d.People = append(d.People, PersonView{Handle: h})
		}
		if got := d.exampleHandle(); got != c.want {
			t.Errorf("handles %q: example %q, want %q", c.handles, got, c.want)
		}
	}
}
