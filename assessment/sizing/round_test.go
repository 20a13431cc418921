package sizing

import (
	"math/big"
	"testing"
)

func TestTenthRound(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want float64
	}{
		{"zero stays zero", 0, 0},
		{"minio TB at 2022-06", 2.888918429536, 2.89},
		{"pg_main TB with HA", 9.864510, 9.9},
		{"exact value is kept", 0.05, 0.05},
		{"redis TB", 0.000628425, 0.00063},
		{"es_datanode TB at 2021-07", 0.27092, 0.271},
		{"GB per VM", 4932.27, 5000},
		{"just above a step rounds up", 100.0001, 101},
		// log10(x/100) is exactly 0.5 here: half-even gives k=0, half-up k=1 (320).
		{"half to even at k=0.5", 316.22776601683796, 317},
		// exactly 2.5: half-even gives k=2, half-up k=3 (32000).
		{"half to even at k=2.5", 31622.776601683785, 31700},
		// exactly 1.5: half-even gives k=2 either way.
		{"half to even at k=1.5", 3162.2776601683786, 3200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tenthRound(tt.in)); got != tt.want {
				t.Errorf("tenthRound(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestOnePlusIsDecimal(t *testing.T) {
	// In binary, 1 + 0.33 is not the double nearest to 1.33 for every
	// literal; the original adds Decimals, so must we.
	tests := []struct {
		in, want float64
	}{
		{0.33, 1.33},
		{0.8, 1.8},
		{0, 1},
		{0.1, 1.1},
	}
	for _, tt := range tests {
		if got := onePlus(tt.in); got != tt.want {
			t.Errorf("onePlus(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestEstimationBuffers(t *testing.T) {
	got := estimationBuffers(0.5, 0.01, 12)
	if got[0] != 0.5 {
		t.Errorf("eb[0] = %v, want 0.5", got[0])
	}
	// reach_40k at 2019-12: 0.5 × 1.01^11, exactly 0.5 × 101^11 / 100^11
	// rounded once to a double.
	exact := new(big.Rat).SetFrac(new(big.Int).Exp(big.NewInt(101), big.NewInt(11), nil),
		new(big.Int).Exp(big.NewInt(100), big.NewInt(11), nil))
	exact.Mul(exact, big.NewRat(1, 2))
	want, _ := exact.Float64()
	if got[11] != want {
		t.Errorf("eb[11] = %v, want %v (0.5 × 1.01^11)", got[11], want)
	}
	flat := estimationBuffers(0.25, 0, 3)
	for i, v := range flat {
		if v != 0.25 {
			t.Errorf("without growth eb[%d] = %v, want 0.25", i, v)
		}
	}
}

func TestFmtThousands(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{749970, "749,970"},
		{13746950.1, "13,746,950.1"},
		{999, "999"},
		{1000, "1,000"},
		{1013.7109501, "1,013.7109501"},
		{-1234567, "-1,234,567"},
		{0, "0"},
	}
	for _, tt := range tests {
		if got := fmtThousands(tt.in); got != tt.want {
			t.Errorf("fmtThousands(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
