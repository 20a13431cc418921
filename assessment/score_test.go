package assessment

import "testing"

func TestScoreFormula(t *testing.T) {
	tests := []struct {
		earned, points int
		complete       bool
		want           int
	}{
		{0, 0, true, 100},
		{0, 0, false, 0},
		{0, 4, false, 0},
		{1, 4, false, 25},
		{2, 3, false, 66}, // floor
		{3, 3, false, 99}, // every point, but not complete
		{3, 3, true, 100},
	}
	for _, tt := range tests {
		if got := score(tt.earned, tt.points, tt.complete); got != tt.want {
			t.Errorf("score(%d, %d, %v) = %d, want %d", tt.earned, tt.points, tt.complete, got, tt.want)
		}
	}
}

// TestReadiness checks phase and overall scores on the minimal template:
// phase 1 is worth 2 questions + 1 checkpoint × 2 = 4 points (5 when HA
// shows its follow-up question), phase 2 is 1 + 2 = 3, phase 3 is 2 + 2 = 4
// (its advisory checkpoint counts nothing), phase 4 is 2.
func TestReadiness(t *testing.T) {
	tpl := minimal(t)
	tests := []struct {
		name    string
		in      Input
		phases  []int // score per phase
		points  int   // overall
		earned  int
		overall int
	}{
		{"nothing", Input{}, []int{0, 0, 0, 0}, 13, 0, 0},
		{"one answer", Input{Answers: map[string]Value{"users": text("4")}}, []int{25, 0, 0, 0}, 13, 1, 7},
		{"an invalid answer earns nothing", Input{Answers: map[string]Value{"users": text("0")}}, []int{0, 0, 0, 0}, 13, 0, 0},
		{"optional answers earn nothing", Input{Answers: map[string]Value{"notes": text("n")}}, []int{0, 0, 0, 0}, 13, 0, 0},
		{"answers only", Input{Answers: phase1}, []int{50, 0, 0, 0}, 13, 2, 15},
		{"checkpoint only", Input{Confirmed: confirmed("design_done")}, []int{50, 0, 0, 0}, 13, 2, 15},
		{"phase 1 complete", Input{Answers: phase1, Confirmed: confirmed("design_done")}, []int{100, 0, 0, 0}, 13, 4, 30},
		{"visible follow-up raises the points", Input{Answers: merge(phase1, map[string]Value{"ha": text("yes")}), Confirmed: confirmed("design_done")}, []int{80, 0, 0, 0}, 14, 4, 28},
		{"invalid optional answer caps at 99", Input{Answers: merge(phase1, map[string]Value{"notes": text("\x00")}), Confirmed: confirmed("design_done")}, []int{99, 0, 0, 0}, 13, 4, 30},
		{"failing rule caps at 99", Input{Answers: map[string]Value{"ups": text("5"), "shutdown": text("5")}, Confirmed: confirmed("agreement_signed")}, []int{0, 0, 99, 0}, 13, 4, 30},
		{"advisory checkpoint counts nothing", Input{Confirmed: confirmed("power_tested")}, []int{0, 0, 0, 0}, 13, 0, 0},
		{"waived phase leaves the overall", Input{Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"2": {Waived: true, Reason: "n/a"}}}, []int{100, 0, 0, 0}, 10, 4, 40},
		{"untouched optional phase still counts", Input{Answers: merge(phase1, phase3), Confirmed: confirmed("design_done", "agreement_signed", "running")}, []int{100, 0, 100, 100}, 13, 10, 76},
		{"all done but the waived", Input{Answers: merge(phase1, phase3), Confirmed: confirmed("design_done", "agreement_signed", "running"), Reviews: map[string]Review{"2": {Waived: true, Reason: "n/a"}}}, []int{100, 0, 100, 100}, 10, 10, 100},
		{"approval does not change readiness", Input{SignOff: true, Answers: phase1, Confirmed: confirmed("design_done")}, []int{100, 0, 0, 0}, 13, 4, 30},
	}
	for _, tt := range tests {
		res := tpl.Evaluate(tt.in)
		var got []int
		for _, p := range res.Phases {
			got = append(got, p.Score)
		}
		if !equalInts(got, tt.phases) || res.Points != tt.points || res.Earned != tt.earned || res.Score != tt.overall {
			t.Errorf("%s: got phases %v, %d/%d, overall %d; want %v, %d/%d, %d", tt.name, got, res.Earned, res.Points, res.Score, tt.phases, tt.earned, tt.points, tt.overall)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReadinessCounts checks the counters a dashboard shows beside the score.
func TestReadinessCounts(t *testing.T) {
	tpl, full := fullCommCare(t)
	in := with(full, map[string]Value{"isp_name": {}, "latency_ms": {}})
	in.Confirmed = map[string]bool{}
	pr, _ := tpl.Evaluate(in).Phase("2.2")
	// 2.2 on premise: 15 questions, of which one optional: 14 required.
	if pr.Required != 14 || pr.Answered != 12 || pr.Checkpoints != 1 || pr.Confirmed != 0 || pr.Points != 16 || pr.Earned != 12 || pr.Score != 75 {
		t.Errorf("2.2: got %+v", *pr)
	}
}
