package sizing

import (
	"io"
	"testing"
)

func benchConfig(b *testing.B, name string) {
	data := readTestdata(b, name)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RunYAML(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEchis parses and runs echis.yml end to end (target ≤ 2 ms).
func BenchmarkEchis(b *testing.B) { benchConfig(b, "echis.yml") }

// BenchmarkReach40k parses and runs reach_40k.yml end to end (target ≤ 10 ms).
func BenchmarkReach40k(b *testing.B) { benchConfig(b, "reach_40k.yml") }

// BenchmarkOpenCRVS is one OpenCRVS estimate with its breakdown (target ≤ 5 µs).
func BenchmarkOpenCRVS(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EstimateOpenCRVS(crvsExample); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBillionLaughs is the time to refuse an alias bomb.
func BenchmarkBillionLaughs(b *testing.B) {
	doc := []byte(billionLaughs("") + configWith(fixtureUsage, ""))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseConfig(doc); err == nil {
			b.Fatal("alias bomb accepted")
		}
	}
}

// BenchmarkRunSimple is the simple form end to end.
func BenchmarkRunSimple(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RunSimple(simpleExample); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteXLSX renders echis.yml's three summaries as a workbook.
func BenchmarkWriteXLSX(b *testing.B) {
	r := runTestdata(b, "echis.yml")
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
