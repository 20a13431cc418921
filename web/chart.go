package web

import (
	"math"
	"strconv"
	"strings"
)

// Charts drawn on the server as inline SVG: no JavaScript, nothing
// fetched, and readable in greyscale (every bar carries its value in
// words, and a fill pattern rather than a colour tells kinds apart).

// Bar is one bar of a chart: its label, its value and the value in words.
type Bar struct {
	Label string
	Value float64
	Text  string // the value as people read it: "85%", "1,200 GB"
	// Fill is the bar's pattern: "solid" (the default), "hatch", "dots"
	// or "light".
	Fill string
}

// BarChart is a horizontal bar chart laid out for its SVG: one row per
// bar, an axis with ticks, every coordinate computed here so the template
// only writes them out.
type BarChart struct {
	ID     string // unique on the page: the patterns' ids start with it
	Title  string // the chart's <title> and accessible name
	Width  int
	Height int
	Rows   []BarRow
	Ticks  []Tick
	// Plot is the bars' area: from X0 to X1, down to Bottom.
	X0, X1, Bottom string
	// Narrow is the same chart with each label above its bar, for a
	// narrow box (a phone, a column of the grid), where the chart above,
	// scaled down to fit, would write its words at 7 px.
	Narrow *BarChart
}

// BarRow is a bar as drawn.
type BarRow struct {
	Label, Text string
	// Label2 is the label's second line in the wide layout, when it
	// needs one ("" otherwise), at Label2Y.
	Label2, Label2Y string
	Full            string // the label untruncated, in the bar's <title>
	Fill            string // the fill: a colour, or url(#pattern)
	Y, H, W         string // the bar's top, height and width
	TextY           string // the baseline of the value
	TextX           string // where the value starts
	LabelX          string // where the label ends (wide) or starts (narrow)
	LabelY          string // the baseline of the label
	Anchor          string // the label's text-anchor: "end" or "start"
}

// Tick is one mark along the axis.
type Tick struct {
	X, Text string
}

// chart geometry, in SVG user units (the SVG scales to its box).
const (
	barsWidth   = 320 // the bars' room; the chart is as wide as its labels need besides
	labelWidth  = 200 // the labels' column, right-aligned against the bars
	valueWidth  = 90  // room after the longest bar for its value
	rowHeight   = 26
	tallRow     = 36 // a row whose label takes two lines
	barHeight   = 16
	axisHeight  = 24
	maxLabelLen = 26

	// The narrow chart: each label on a line of its own above its bar.
	narrowBars     = 230
	narrowValue    = 90 // as wide as the wide chart's: "123,456 GB" after a full bar
	narrowRow      = 36
	narrowLabelLen = 44
)

// NewBarChart lays out bars against a scale from zero to max (the largest
// value, rounded up to a round number, when max is zero or less).
func NewBarChart(id, title string, bars []Bar, maxValue float64) BarChart {
	if maxValue <= 0 {
		for _, b := range bars {
			maxValue = math.Max(maxValue, b.Value)
		}
		maxValue = 4 * niceCeil(maxValue/4) // four round ticks
	}
	// The labels' column is as wide as the longest label needs; a longer
	// label takes a second line (every row is then as tall), so that a
	// printed chart names its bars in full (the title has them too).
	longest, row := 0, rowHeight
	lines := make([][2]string, len(bars))
	for i, b := range bars {
		lines[i][0], lines[i][1] = wrapLabel(b.Label, maxLabelLen)
		longest = max(longest, len([]rune(lines[i][0])), len([]rune(lines[i][1])))
		if lines[i][1] != "" {
			row = tallRow
		}
	}
	x0 := min(float64(labelWidth), float64(longest)*7+14)
	x1 := x0 + barsWidth
	c := BarChart{ID: id, Title: title, Width: int(x1) + valueWidth, Height: len(bars)*row + axisHeight + 8,
		X0: coord(x0), X1: coord(x1), Bottom: coord(float64(len(bars)*row + 4))}
	for i, b := range bars {
		frac := 0.0
		if maxValue > 0 && b.Value > 0 {
			frac = math.Min(b.Value/maxValue, 1)
		}
		w := frac * (x1 - x0)
		top := float64(i*row) + float64(row-barHeight)/2 + 4
		r := BarRow{
			Label: lines[i][0], Full: b.Label, Text: b.Text, Fill: c.fill(b.Fill),
			Y: coord(top), H: coord(barHeight), W: coord(w),
			TextY: coord(top + barHeight - 4), TextX: coord(x0 + w + 6),
			LabelX: coord(x0 - 8), LabelY: coord(top + barHeight - 4), Anchor: "end",
		}
		if lines[i][1] != "" { // two lines of 12 units about the bar's middle
			r.Label2, r.LabelY, r.Label2Y = lines[i][1], coord(top+barHeight/2-2), coord(top+barHeight/2+11)
		}
		c.Rows = append(c.Rows, r)
	}
	c.Ticks = ticks(x0, x1, maxValue)
	c.Narrow = narrow(id+"-n", title, bars, maxValue)
	return c
}

// narrow lays the bars out with each label above its bar.
func narrow(id, title string, bars []Bar, maxValue float64) *BarChart {
	const x0 = 6 // room for half the first tick's "0"
	x1 := x0 + float64(narrowBars)
	c := &BarChart{ID: id, Title: title, Width: x0 + narrowBars + narrowValue, Height: len(bars)*narrowRow + axisHeight + 8,
		X0: coord(x0), X1: coord(x1), Bottom: coord(float64(len(bars)*narrowRow + 4))}
	for i, b := range bars {
		w := 0.0
		if maxValue > 0 && b.Value > 0 {
			w = math.Min(b.Value/maxValue, 1) * narrowBars
		}
		top := float64(i*narrowRow) + 18 // under the label
		c.Rows = append(c.Rows, BarRow{
			Label: truncate(b.Label, narrowLabelLen), Full: b.Label, Text: b.Text, Fill: c.fill(b.Fill),
			Y: coord(top), H: coord(barHeight), W: coord(w),
			TextY: coord(top + barHeight - 4), TextX: coord(x0 + w + 6),
			LabelX: coord(x0), LabelY: coord(top - 4), Anchor: "start",
		})
	}
	c.Ticks = ticks(x0, x1, maxValue)
	return c
}

// ticks are five marks from zero to max along x0 to x1.
func ticks(x0, x1, maxValue float64) []Tick {
	var ts []Tick
	for i := 0; i <= 4; i++ {
		v := maxValue * float64(i) / 4
		ts = append(ts, Tick{X: coord(x0 + (x1-x0)*float64(i)/4), Text: tickText(v)})
	}
	return ts
}

// fill is the paint of a pattern name.
func (c BarChart) fill(name string) string {
	switch name {
	case "hatch", "dots", "light":
		return "url(#" + c.ID + "-" + name + ")"
	}
	return "#1d6b54"
}

// ViewBox is the SVG's viewBox.
func (c BarChart) ViewBox() string {
	return "0 0 " + strconv.Itoa(c.Width) + " " + strconv.Itoa(c.Height)
}

// TickY is the baseline of the ticks' text.
func (c BarChart) TickY() string { return strconv.Itoa(c.Height - 6) }

// Pattern is the id of a pattern of the chart.
func (c BarChart) Pattern(name string) string { return c.ID + "-" + name }

// niceCeil rounds up to a round number: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
// times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if v <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

func tickText(v float64) string {
	if v >= 1000 {
		return groupThousands(strconv.FormatFloat(math.Round(v), 'f', -1, 64))
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// groupThousands writes an integer's digits in groups of three.
func groupThousands(s string) string {
	n := len(s)
	if n <= 3 {
		return s
	}
	out := make([]byte, 0, n+n/3)
	for i := 0; i < n; i++ {
		if i > 0 && (n-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func coord(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// wrapLabel splits s into two lines of at most n characters, at a space,
// the second shortened with an ellipsis if it is still too long; the
// second is "" when s fits on one.
func wrapLabel(s string, n int) (string, string) {
	r := []rune(s)
	if len(r) <= n {
		return s, ""
	}
	cut := strings.LastIndex(string(r[:n+1]), " ")
	if cut <= 0 {
		return truncate(s, n), ""
	}
	return s[:cut], truncate(strings.TrimSpace(s[cut:]), n)
}

// truncate shortens s to at most n characters, ending with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
