package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

func TestNewBarChartScalesBarsToTheMaximum(t *testing.T) {
	c := NewBarChart("r", "Readiness", []Bar{
		{Label: "1.1 Design", Value: 100, Text: "100%", Fill: "solid"},
		{Label: "1.2 Sizing", Value: 50, Text: "50%", Fill: "hatch"},
		{Label: "2.1 Procurement", Value: 0, Text: "0%", Fill: "dots"},
		{Label: "over", Value: 250, Text: "250%", Fill: "light"},
	}, 100)
	full := num(t, c.X1) - num(t, c.X0)
	for i, want := range []float64{full, full / 2, 0, full} {
		if got := num(t, c.Rows[i].W); got < want-0.1 || got > want+0.1 {
			t.Errorf("bar %d is %v wide, want %v", i, got, want)
		}
	}
	if c.Rows[1].Fill != "url(#r-hatch)" || c.Rows[2].Fill != "url(#r-dots)" || c.Rows[3].Fill != "url(#r-light)" || !strings.HasPrefix(c.Rows[0].Fill, "#") {
		t.Errorf("fills = %q %q %q %q", c.Rows[0].Fill, c.Rows[1].Fill, c.Rows[2].Fill, c.Rows[3].Fill)
	}
	if len(c.Ticks) != 5 || c.Ticks[0].Text != "0" || c.Ticks[2].Text != "50" || c.Ticks[4].Text != "100" {
		t.Errorf("ticks = %+v", c.Ticks)
	}
	// Rows do not overlap, and the SVG is tall enough for them and the axis.
	for i := 1; i < len(c.Rows); i++ {
		if num(t, c.Rows[i].Y) < num(t, c.Rows[i-1].Y)+num(t, c.Rows[i-1].H) {
			t.Errorf("bar %d overlaps bar %d", i, i-1)
		}
	}
	if last := c.Rows[len(c.Rows)-1]; num(t, last.Y)+num(t, last.H) > float64(c.Height)-20 {
		t.Errorf("the last bar ends at %s of %d", last.Y, c.Height)
	}
}

func TestNewBarChartRoundsItsScale(t *testing.T) {
	for _, c := range []struct {
		max  float64
		want string // the last tick
	}{{26, "32"}, {71, "80"}, {268, "320"}, {4.43, "6"}, {0, "4"}, {12500, "16,000"}} {
		chart := NewBarChart("x", "x", []Bar{{Label: "a", Value: c.max}}, 0)
		if got := chart.Ticks[4].Text; got != c.want {
			t.Errorf("largest value %v: the scale ends at %s, want %s", c.max, got, c.want)
		}
	}
}

// A long label takes two lines, split at a space, so that a printed chart
// names its bars in full; longer still, the second line ends with an
// ellipsis. Every row is then taller; short labels take less room.
func TestNewBarChartWrapsLongLabels(t *testing.T) {
	long := "6.1 Ongoing maintenance, support and SLA"
	longer := "1.3 VPN and bastion / jump host for the remote administration of the servers"
	c := NewBarChart("x", "x", []Bar{{Label: long, Value: 1, Text: "1"}, {Label: "2027-01", Value: 1, Text: "1"}, {Label: longer, Value: 1, Text: "1"}}, 0)
	if r := c.Rows[0]; r.Label != "6.1 Ongoing maintenance," || r.Label2 != "support and SLA" || r.Full != long {
		t.Errorf("label %q / %q (full %q), want it on two lines in full", r.Label, r.Label2, r.Full)
	}
	if r := c.Rows[2]; r.Label != "1.3 VPN and bastion / jump" || !strings.HasSuffix(r.Label2, "…") || len([]rune(r.Label2)) > maxLabelLen {
		t.Errorf("label %q / %q, want the second line shortened with an ellipsis", r.Label, r.Label2)
	}
	if r := c.Rows[1]; r.Label2 != "" || r.Label != "2027-01" {
		t.Errorf("a short label: %q / %q", r.Label, r.Label2)
	}
	if first, second := num(t, c.Rows[0].LabelY), num(t, c.Rows[0].Label2Y); second-first < 12 || first < num(t, c.Rows[0].Y)-4 || second > num(t, c.Rows[1].Y) {
		t.Errorf("two lines at %v and %v: want 12 units apart at least, within the row (bar at %s, next bar at %s)", first, second, c.Rows[0].Y, c.Rows[1].Y)
	}
	short := NewBarChart("x", "x", []Bar{{Label: "2027-01", Value: 1, Text: "1"}}, 0)
	if num(t, short.X0) >= num(t, c.X0) || num(t, short.Bottom) >= num(t, c.Bottom)/3 {
		t.Errorf("short labels take %s units, and a row %s high, as much as long ones (%s, %s for three rows)", short.X0, short.Bottom, c.X0, c.Bottom)
	}
}

func TestChartIsLabelledAndInert(t *testing.T) {
	c := NewBarChart("h", `Title <script>alert(1)</script>`, []Bar{{Label: `"><img src=x onerror=alert(1)>`, Value: 3, Text: "3 <b>GB</b>"}}, 0)
	var b strings.Builder
	if err := Chart(c).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "<img", "<b>"} {
		if strings.Contains(out, bad) {
			t.Errorf("chart carries %s: %s", bad, out)
		}
	}
	for _, want := range []string{`role="img"`, `aria-label="Title &lt;script&gt;alert(1)&lt;/script&gt;"`, "<title>Title &lt;script&gt;", `id="h-hatch"`, "3 &lt;b&gt;GB&lt;/b&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("chart lacks %s", want)
		}
	}
}

// The narrow layout writes each label on its own line above its bar, at
// the plot's left edge, longer than the wide layout allows, with the same
// bars and scale in less width.
func TestNarrowChartPutsLabelsAboveBars(t *testing.T) {
	long := "3.3 One-time migration of the CommCare application"
	c := NewBarChart("r", "Readiness", []Bar{
		{Label: "1.1 System assessment and design", Value: 100, Text: "100%"},
		{Label: long, Value: 50, Text: "50%", Fill: "hatch"},
	}, 100)
	n := c.Narrow
	if n == nil {
		t.Fatal("no narrow layout")
	}
	if n.Width >= c.Width || n.ID == c.ID || n.Rows[1].Fill != "url(#r-n-hatch)" {
		t.Errorf("narrow: %d units wide (wide: %d), id %q, fill %q", n.Width, c.Width, n.ID, n.Rows[1].Fill)
	}
	if n.Rows[0].Label != "1.1 System assessment and design" || !strings.HasSuffix(n.Rows[1].Label, "…") || len([]rune(n.Rows[1].Label)) <= len([]rune(c.Rows[1].Label)) {
		t.Errorf("narrow labels %q, %q (wide: %q)", n.Rows[0].Label, n.Rows[1].Label, c.Rows[1].Label)
	}
	full := num(t, n.X1) - num(t, n.X0)
	for i, r := range n.Rows {
		if r.Anchor != "start" || r.LabelX != n.X0 {
			t.Errorf("row %d: label anchored %q at %s, want start at %s", i, r.Anchor, r.LabelX, n.X0)
		}
		// The label's baseline is above the bar and below the previous one.
		if num(t, r.LabelY) > num(t, r.Y) {
			t.Errorf("row %d: label at %s, under its bar's top %s", i, r.LabelY, r.Y)
		}
		if i > 0 && num(t, r.LabelY)-12 < num(t, n.Rows[i-1].Y)+num(t, n.Rows[i-1].H) {
			t.Errorf("row %d: label at %s runs into the bar above (ends %v)", i, r.LabelY, num(t, n.Rows[i-1].Y)+num(t, n.Rows[i-1].H))
		}
		if want := full * []float64{1, .5}[i]; num(t, r.W) < want-0.1 || num(t, r.W) > want+0.1 {
			t.Errorf("row %d: bar %s wide, want %v", i, r.W, want)
		}
		if num(t, r.TextX) <= num(t, n.X0)+num(t, r.W) {
			t.Errorf("row %d: value at %s, inside its bar", i, r.TextX)
		}
	}
	if last := n.Rows[len(n.Rows)-1]; num(t, last.Y)+num(t, last.H) > float64(n.Height)-20 {
		t.Errorf("the last bar ends at %s of %d", last.Y, n.Height)
	}
}
