package sizing

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTierBoundaries(t *testing.T) {
	tests := []struct {
		users   int
		ha      bool
		tier    string
		servers int
		ramGB   int
		diskTB  float64
	}{
		{0, false, TierSingle, 1, 32, 2},
		{1_499, false, TierSingle, 1, 32, 2},
		{1_500, false, TierMicro, 2, 16, 1},
		{3_499, false, TierMicro, 2, 16, 1},
		{3_500, false, TierSmall, 5, 16, 0},
		{14_999, false, TierSmall, 5, 16, 0},
		{15_000, false, TierLarge, 6, 0, 0},
		{1_000_000, false, TierLarge, 6, 0, 0},
		// High availability rules out the single server and needs the
		// larger micro-cluster servers.
		{0, true, TierMicro, 2, 32, 2},
		{1_499, true, TierMicro, 2, 32, 2},
		{1_500, true, TierMicro, 2, 32, 2},
		{3_499, true, TierMicro, 2, 32, 2},
		{3_500, true, TierSmall, 5, 16, 0},
		{14_999, true, TierSmall, 5, 16, 0},
		{15_000, true, TierLarge, 6, 0, 0},
	}
	for _, tt := range tests {
		got, err := Tier(tt.users, tt.ha)
		if err != nil {
			t.Fatalf("Tier(%d, %v): %v", tt.users, tt.ha, err)
		}
		if got.Tier != tt.tier || got.Servers != tt.servers || got.PerServer.RAMGB != tt.ramGB || got.PerServer.DiskTB != tt.diskTB {
			t.Errorf("Tier(%d, %v) = %s, %d servers, %d GB, %v TB; want %s, %d, %d GB, %v TB", tt.users, tt.ha,
				got.Tier, got.Servers, got.PerServer.RAMGB, got.PerServer.DiskTB, tt.tier, tt.servers, tt.ramGB, tt.diskTB)
		}
		if len(got.Reasons) == 0 {
			t.Errorf("Tier(%d, %v) gives no reasons", tt.users, tt.ha)
		}
	}
}

func TestTierReasons(t *testing.T) {
	got, err := Tier(1_200, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Reasons[0], "1,200 users") || !strings.Contains(got.Reasons[0], "high availability") {
		t.Errorf("reason = %q, want it to name the users and high availability", got.Reasons[0])
	}
}

func TestTierNegativeUsers(t *testing.T) {
	_, err := Tier(-1, false)
	wantFieldError(t, err, "users", "must not be negative")
}

func TestTierJSON(t *testing.T) {
	got, _ := Tier(2_000, false)
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"tier", "servers", "per_server", "reasons"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("tier JSON lacks %q: %s", key, data)
		}
	}
	if doc["tier"] != "micro" || doc["servers"] != 2.0 {
		t.Errorf("tier, servers = %v, %v; want micro, 2", doc["tier"], doc["servers"])
	}
}
