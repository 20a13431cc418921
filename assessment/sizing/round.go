package sizing

import (
	"math"
	"math/big"
	"strconv"
)

// tenthRound removes false precision from a storage figure the way the
// original tool does: it rounds x up to a multiple of the power of ten
// nearest to 1% of x, so the result is at most about 1% above x.
// The exponent is rounded half to even (numpy's round).
func tenthRound(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	k := math.RoundToEven(math.Log10(x * 0.01))
	r := math.Pow10(int(k))
	return math.Ceil(x/r) * r
}

// clean drops binary noise from a figure that is meant to be a short
// decimal (27.063000000000002 becomes 27.063).
func clean(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if err != nil {
		return x
	}
	return v
}

// decimal returns the decimal number a float64 was written as: the YAML
// literal 0.33 comes back as exactly 33/100. The original tool reads buffers
// as Python Decimals, so 1 + 0.33 must be added in decimal, not in binary.
func decimal(x float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		r = new(big.Rat)
		r.SetFloat64(x)
	}
	return r
}

// onePlus returns float(1 + x) computed in decimal.
func onePlus(x float64) float64 {
	r := decimal(x)
	r.Add(r, big.NewRat(1, 1))
	f, _ := r.Float64()
	return f
}

// estimationBuffers returns eb × (1 + growth)^t for t = 0..n-1, computed in
// high precision and rounded once, as the original does with Decimals.
func estimationBuffers(eb, growth float64, n int) []float64 {
	const prec = 256
	out := make([]float64, n)
	base := new(big.Float).SetPrec(prec).SetRat(decimal(growth))
	base.Add(base, big.NewFloat(1))
	start := new(big.Float).SetPrec(prec).SetRat(decimal(eb))
	pow := new(big.Float).SetPrec(prec).SetInt64(1)
	v := new(big.Float).SetPrec(prec)
	for t := range n {
		v.Mul(start, pow)
		out[t], _ = v.Float64()
		pow.Mul(pow, base)
	}
	return out
}
