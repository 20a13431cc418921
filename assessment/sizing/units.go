package sizing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// bytesPerUnit maps the decimal storage units the model understands.
var bytesPerUnit = map[string]float64{
	"KB": 1e3,
	"MB": 1e6,
	"GB": 1e9,
	"TB": 1e12,
}

// parseSize reads a size as the original does: an integer number of bytes, or
// an integer followed by KB, MB, GB or TB (decimal units).
func parseSize(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty size")
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("size %q must start with a whole number", s)
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || n > maxMagnitude {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	rest := strings.TrimSpace(s[i:])
	if rest == "" {
		return n, nil
	}
	mult, ok := bytesPerUnit[strings.ToUpper(rest)]
	if !ok {
		return 0, fmt.Errorf("unknown storage unit %q in %q (use KB, MB, GB or TB)", rest, s)
	}
	return n * mult, nil
}

// Month is a calendar month, counted as year×12 + month−1.
type Month int

// NewMonth returns the Month for a year and a month number (1-12).
func NewMonth(year, month int) Month { return Month(year*12 + month - 1) }

// Year returns the month's year.
func (m Month) Year() int { return int(m) / 12 }

// MonthOfYear returns 1-12.
func (m Month) MonthOfYear() int { return int(m)%12 + 1 }

// String formats the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.MonthOfYear()) }

// ParseMonth reads YYYY-MM (or YYYY-M), YYYY-MM-DD or YYYYMMDD. A day, when given, must
// be the first of the month: the model works in whole months, and the
// original would silently shift any other day.
func ParseMonth(s string) (Month, error) {
	s = strings.TrimSpace(s)
	var y, mo, d int
	var err error
	switch {
	case len(s) == 7 && s[4] == '-':
		y, mo, d, err = atoi3(s[0:4], s[5:7], "01")
	case len(s) == 6 && s[4] == '-':
		// YYYY-M: the original's strptime("%Y-%m") takes a one-digit month.
		y, mo, d, err = atoi3(s[0:4], s[5:6], "01")
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, mo, d, err = atoi3(s[0:4], s[5:7], s[8:10])
	case len(s) == 8:
		y, mo, d, err = atoi3(s[0:4], s[4:6], s[6:8])
	default:
		return 0, fmt.Errorf("date %q must be YYYY-MM, YYYY-MM-DD or YYYYMMDD", s)
	}
	if err != nil {
		return 0, fmt.Errorf("date %q must be YYYY-MM, YYYY-MM-DD or YYYYMMDD", s)
	}
	if y < 1900 || y > 2200 {
		return 0, fmt.Errorf("date %q has a year outside 1900-2200", s)
	}
	if mo < 1 || mo > 12 {
		return 0, fmt.Errorf("date %q has no month %d", s, mo)
	}
	if d != 1 {
		return 0, fmt.Errorf("date %q must be the first day of a month", s)
	}
	return NewMonth(y, mo), nil
}

func atoi3(a, b, c string) (int, int, int, error) {
	x, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, 0, err
	}
	y, err := strconv.Atoi(b)
	if err != nil {
		return 0, 0, 0, err
	}
	z, err := strconv.Atoi(c)
	if err != nil {
		return 0, 0, 0, err
	}
	return x, y, z, nil
}

// finite reports whether x is a usable number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
