package sizing

import (
	"io"
	"os"
	"testing"
	"time"
)

// FuzzParseConfig feeds arbitrary documents through parsing, the model and
// the writers: none may panic, every failure must be a *FieldError, and
// each input must finish quickly.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"echis.yml", "reach_40k.yml", "bka-test.yml"} {
		f.Add(readTestdata(f, name))
	}
	// Every config of the original's, the forms it accepts included
	// (unnamed set items, min_storage_per_node, usage gaps).
	for _, path := range originalConfigs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(branchConfig))
	f.Add([]byte(serviceFixture("0.2")))
	f.Add([]byte(billionLaughs("") + configWith(fixtureUsage, "")))
	f.Add([]byte(configWith(fixtureUsage+"\n  a: {model: cumulative, dependant_field: a}", "")))
	f.Add([]byte("usage: [\n"))
	f.Add([]byte("x: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		r, err := RunYAML(data)
		if err != nil {
			if _, ok := AsFieldError(err); !ok {
				t.Fatalf("error %v is a %T, want a *FieldError", err, err)
			}
		} else {
			if err := WriteCSV(io.Discard, r); err != nil {
				t.Fatalf("WriteCSV: %v", err)
			}
			if err := WriteText(io.Discard, r); err != nil {
				t.Fatalf("WriteText: %v", err)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %v on a %d-byte input", d, len(data))
		}
	})
}
