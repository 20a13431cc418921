package sizing

import (
	"bytes"
	"math"
	"strconv"
)

// fmtNum formats a number in the shortest plain decimal form: 8, 0.7,
// 1013.7109501. Very large or small magnitudes fall back to exponent form.
func fmtNum(x float64) string {
	if x == 0 {
		return "0"
	}
	if a := math.Abs(x); a >= 1e21 || a < 1e-6 {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// fmtThousands formats like fmtNum with commas between thousands:
// 749970 becomes "749,970" and 13746950.1 becomes "13,746,950.1".
func fmtThousands(x float64) string {
	var tmp [40]byte
	num := appendNum(tmp[:0], x)
	if bytes.ContainsAny(num, "eE") {
		return string(num)
	}
	neg := len(num) > 0 && num[0] == '-'
	if neg {
		num = num[1:]
	}
	intLen := bytes.IndexByte(num, '.')
	if intLen < 0 {
		intLen = len(num)
	}
	out := make([]byte, 0, len(num)+intLen/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < intLen; i++ {
		if i > 0 && (intLen-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, num[i])
	}
	out = append(out, num[intLen:]...)
	return string(out)
}

// appendNum appends fmtNum(x) to b.
func appendNum(b []byte, x float64) []byte {
	if x == 0 {
		return append(b, '0')
	}
	if a := math.Abs(x); a >= 1e21 || a < 1e-6 {
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// FormatNumber formats x as the package's own texts do: the shortest plain
// decimal form with commas between thousands ("1,013.7109501"), so a page
// showing a result next to a Step's formula shows the same digits.
func FormatNumber(x float64) string { return fmtThousands(x) }
