package sizing

import (
	"io"
	"os"
	"testing"
)

// largestOriginal is the heaviest config of the original's configs/: 8 set
// combinations of 28 months and about 30 services (the original takes
// about 23 s on it, writing its 9 workbooks; see the testdata README).
const largestOriginal = "testdata/original/configs/icds-14lakh-aug2019.yml"

// BenchmarkLargestOriginal parses and runs the largest original config,
// every set combination (the computation the original does before writing).
func BenchmarkLargestOriginal(b *testing.B) {
	data, err := os.ReadFile(largestOriginal)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RunYAML(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLargestOriginalWorkbooks is what `-o out-{name}.xlsx` does on
// the largest original config: a run per set combination, its full
// workbook (usage and raw data sheets included), and the comparison.
func BenchmarkLargestOriginalWorkbooks(b *testing.B) {
	data, err := os.ReadFile(largestOriginal)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		all, err := RunYAML(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, set := range all.Sets() {
			one, err := RunYAMLWith(data, Options{Set: set})
			if err != nil {
				b.Fatal(err)
			}
			if err := WriteWorkbook(io.Discard, one, WorkbookInfo{}); err != nil {
				b.Fatal(err)
			}
		}
		if err := WriteSetComparison(io.Discard, all); err != nil {
			b.Fatal(err)
		}
	}
}

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

// BenchmarkWriteXLSX renders echis.yml as the original's workbook.
func BenchmarkWriteXLSX(b *testing.B) {
	r := runTestdata(b, "echis.yml")
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteXLSXLargestOneSet renders the original's largest one-set
// config (icds-march-sizing-comparison: 28 months, 6 summary dates, about
// 40 services) as the full workbook the HTTP API sends.
func BenchmarkWriteXLSXLargestOneSet(b *testing.B) {
	data, err := os.ReadFile("testdata/original/configs/icds-march-sizing-comparison.yml")
	if err != nil {
		b.Fatal(err)
	}
	r, err := RunYAML(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
