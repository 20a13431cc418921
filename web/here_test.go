package web

import "testing"

func TestHereSplit(t *testing.T) {
	for _, c := range []struct{ text, link, before, after string }{
		{"A sample diagram can be found here.", "https://x", "A sample diagram can be found ", "."},
		{"Sample output may be found here", "https://x", "Sample output may be found ", ""},
		{"Found here, and there.", "https://x", "Found ", ", and there."},
	} {
		b, a, ok := hereSplit(c.text, c.link)
		if !ok || b != c.before || a != c.after {
			t.Errorf("hereSplit(%q) = %q, %q, %v", c.text, b, a, ok)
		}
	}
	for _, c := range []struct{ text, link string }{
		{"Found here.", ""}, {"Nowhere to be seen.", "https://x"}, {"Adheres to the plan.", "https://x"}, {"The heresy.", "https://x"},
	} {
		if _, _, ok := hereSplit(c.text, c.link); ok {
			t.Errorf("hereSplit(%q, %q) splits", c.text, c.link)
		}
	}
}
