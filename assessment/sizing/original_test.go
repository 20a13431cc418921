package sizing

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// originalGolden is what testdata/original/dump.py printed when run on the
// original tool: per set, per summary date, its tables as
// {row: {column: value}}; null where the original has NaN.
type originalGolden struct {
	Sets []struct {
		Name      string
		Summaries []struct {
			Date           string
			Users          *float64
			StorageByGroup map[string]*float64            `json:"storage_by_group"`
			VMsBySize      map[string]*float64            `json:"vms_by_size"`
			VMsByType      map[string]map[string]*float64 `json:"vms_by_type"`
			Services       map[string]map[string]any
		}
		Usage map[string]map[string]*float64
	}
}

// originalConfigs lists the original's configs kept in testdata.
func originalConfigs(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/original/configs/*.yml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no configs in testdata/original/configs: %v", err)
	}
	return paths
}

func loadGolden(t *testing.T, name string) *originalGolden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "original", "golden", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var g originalGolden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// TestOriginalConfigs runs every config the original accepts and compares
// the main values with what the original printed for it: users, storage by
// group, VMs by size and type, and every column of the per-service table.
func TestOriginalConfigs(t *testing.T) {
	paths := append(originalConfigs(t), "testdata/bka-test.yml")
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := ParseConfig(data)
			if err != nil {
				t.Fatalf("the original runs it, ours refuses it: %v", err)
			}
			res, err := Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			g := loadGolden(t, name)
			compareWithOriginal(t, cfg, res, g)
		})
	}
}

func compareWithOriginal(t *testing.T, cfg *Config, res *Result, g *originalGolden) {
	t.Helper()
	var errs []string
	fail := func(format string, args ...any) {
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	num := func(where string, got float64, want *float64) {
		w := 0.0 // NaN in the original: no value, which ours shows as 0
		if want != nil {
			w = *want
		}
		if !close(got, w) {
			fail("%s = %v, original %v", where, got, w)
		}
	}
	i := 0
	for _, set := range g.Sets {
		for _, gs := range set.Summaries {
			if i >= len(res.Summaries) {
				fail("ours has %d summaries, the original more", len(res.Summaries))
				break
			}
			s := &res.Summaries[i]
			i++
			at := gs.Date
			if set.Name != "default" {
				at = set.Name + " " + at
				if s.Set != set.Name {
					fail("%s: set %q", at, s.Set)
				}
			}
			if s.Date != gs.Date {
				fail("%s: date %s", at, s.Date)
			}
			num(at+" users", s.Users, gs.Users)
			for grp, want := range gs.StorageByGroup {
				num(at+" storage "+grp, s.StorageByGroup[grp], want)
			}
			if len(s.StorageByGroup) != len(gs.StorageByGroup) {
				fail("%s: storage groups %v, original %v", at, sortedKeys(s.StorageByGroup), sortedKeys(gs.StorageByGroup))
			}
			for size, want := range gs.VMsBySize {
				num(at+" VMs of size "+size, float64(s.VMsBySize[size]), want)
			}
			for typ, cols := range gs.VMsByType {
				tt := s.VMsByType[typ]
				num(at+" "+typ+" VMs", float64(tt.VMs), cols["VMs Total"])
				num(at+" "+typ+" cores", tt.Cores, cols["Cores Total"])
				num(at+" "+typ+" RAM", tt.RAMGB, cols["RAM Total (GB)"])
			}
			unit := cfg.StorageDisplayUnit
			for _, sv := range s.Services {
				row, ok := gs.Services[sv.Name]
				if !ok {
					fail("%s: service %s not in the original", at, sv.Name)
					continue
				}
				f := func(col string) *float64 {
					v, _ := row[col].(float64)
					if row[col] == nil {
						return nil
					}
					return &v
				}
				p := at + " " + sv.Name + " "
				num(p+"cores per VM", sv.CoresPerVM, f("Cores Per VM"))
				num(p+"RAM per VM", sv.RAMPerVMGB, f("RAM Per VM"))
				per := 0.0
				if sv.StoragePerVMGB != nil {
					per = *sv.StoragePerVMGB
				}
				num(p+"storage per VM", per, f("Data Storage Per VM (GB)"))
				num(p+"VMs", float64(sv.VMsTotal), f("VMs Total"))
				num(p+"VMs HA", float64(sv.VMsHA), f("VMs HA"))
				num(p+"VM buffer", float64(sv.VMBuffer), f("VM Buffer"))
				num(p+"buffer", sv.Buffer, f("Buffer %"))
				num(p+"cores", sv.CoresTotal, f("Cores Total"))
				num(p+"cores HA", sv.CoresHA, f("Cores HA"))
				num(p+"RAM", sv.RAMTotalGB, f("RAM Total (GB)"))
				num(p+"RAM HA", sv.RAMHAGB, f("RAM HA (GB)"))
				num(p+"storage total", sv.StorageTotal, f("Data Storage Total ("+unit+")"))
				num(p+"storage HA", sv.StorageHA, f("Data Storage HA ("+unit+")"))
				num(p+"storage raw", sv.StorageRaw, f("Data Storage RAW (includes HA) ("+unit+")"))
				num(p+"OS storage", sv.OSStorageTotalGB, f("OS Storage Total (GB)"))
				num(p+"OS storage HA", sv.OSStorageHAGB, f("OS Storage HA (GB)"))
				if g, _ := row["Storage Group"].(string); g != sv.StorageGroup {
					fail("%s storage group %q, original %q", p, sv.StorageGroup, g)
				}
				if g, _ := row["Aggregation Key"].(string); g != sv.AggregationKey {
					fail("%s aggregation key %q, original %q", p, sv.AggregationKey, g)
				}
			}
		}
	}
	if i != len(res.Summaries) {
		fail("ours has %d summaries, the original %d", len(res.Summaries), i)
	}
	for _, e := range errs {
		t.Error(e)
	}
}

// TestOriginalUsage compares every usage field of every month with the
// original's usage table, gaps (NaN) included.
func TestOriginalUsage(t *testing.T) {
	for _, path := range originalConfigs(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".yml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := ParseConfig(data)
			if err != nil {
				t.Fatal(err)
			}
			c, p, scs, err := cfg.prepare()
			if err != nil {
				t.Fatal(err)
			}
			g := loadGolden(t, name)
			if len(g.Sets) != len(scs) {
				t.Fatalf("%d sets, original %d", len(scs), len(g.Sets))
			}
			bad := 0
			for k, sc := range scs {
				models, err := resolveUsage(c.Usage, sc.vars)
				if err != nil {
					t.Fatal(err)
				}
				u, err := evalUsage(p, models)
				if err != nil {
					t.Fatal(err)
				}
				months := sortedKeys(g.Sets[k].Usage)
				sort.Strings(months)
				if len(months) != len(u.months) {
					t.Fatalf("%d months, original %d", len(u.months), len(months))
				}
				for ti, m := range months {
					for col, want := range g.Sets[k].Usage[m] {
						got := u.cols[col][ti]
						ok := (want == nil && math.IsNaN(got)) || (want != nil && close(got, *want))
						if !ok && bad < 10 {
							bad++
							t.Errorf("set %s %s %s = %v, original %v", sc.name, m, col, got, fmtPtr(want))
						}
					}
				}
			}
		})
	}
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "NaN"
	}
	return fmtNum(*p)
}
