package assessment

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The progress kept with an assessment says what the evaluation says, and
// survives the JSON the store keeps it in.
func TestProgress(t *testing.T) {
	tpl, full := fullCommCare(t)
	in := with(full, map[string]Value{"expected_users": {}})
	in.Confirmed = confirmAll(tpl)
	in.Reviews = map[string]Review{"1.1": {State: ReviewApproved}}
	for _, in := range []Input{{}, in, with(in, map[string]Value{"expected_users": text("2000")})} {
		res := tpl.Evaluate(in)
		p := res.Progress()
		if p.Score != res.Score || len(p.Phases) != len(res.Phases) {
			t.Fatalf("progress %+v of a result with score %d and %d phases", p, res.Score, len(res.Phases))
		}
		for i, pr := range res.Phases {
			want := PhaseProgress{Key: pr.Key, Status: pr.Status, Complete: pr.Complete, Passed: pr.Passed}
			if p.Phases[i] != want {
				t.Errorf("phase %d: %+v, want %+v", i, p.Phases[i], want)
			}
			if got, ok := p.Phase(pr.Key); !ok || got != want {
				t.Errorf("Phase(%s) = %+v, %v", pr.Key, got, ok)
			}
		}
		if p.Current() != res.Current() {
			t.Errorf("Current() = %q, the result's %q", p.Current(), res.Current())
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Progress
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, p) {
			t.Errorf("JSON round trip: %+v, %v; want %+v", back, err, p)
		}
	}
	if _, ok := tpl.Evaluate(Input{}).Progress().Phase("9.9"); ok {
		t.Error("Phase of an unknown key found something")
	}
}
