package assessment

import "testing"

// evaluateAll is what an overview page needs: every status, every phase's
// blockers (for locked phases, what locks them) and the scores.
func evaluateAll(tpl *Template, in Input) (n int) {
	res := tpl.Evaluate(in)
	for _, p := range res.Phases {
		n += len(res.Blockers(p.Key))
	}
	return n + res.Score
}

func BenchmarkEvaluateCommCare(b *testing.B) {
	tpl, in := fullCommCare(b)
	b.ReportAllocs()
	for b.Loop() {
		evaluateAll(tpl, in)
	}
}

// BenchmarkEvaluateCommCareHalfDone: phases 1.1 to 2.2 done, 2.3 started;
// later phases locked, so blockers are built and repeated.
func BenchmarkEvaluateCommCareHalfDone(b *testing.B) {
	tpl, in := fullCommCare(b)
	in = with(in, nil)
	for _, q := range tpl.Questions() {
		if q.PhaseKey() > "2.3" || q.Key == "msp_type" {
			delete(in.Answers, q.Key)
		}
	}
	in.Confirmed = map[string]bool{}
	for _, c := range tpl.Checkpoints() {
		if c.PhaseKey() < "2.3" {
			in.Confirmed[c.Key] = true
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		evaluateAll(tpl, in)
	}
}

// BenchmarkDecodeAndEvaluateCommCare starts from the stored form of every
// answer, as a page does after reading them from the database.
func BenchmarkDecodeAndEvaluateCommCare(b *testing.B) {
	tpl, in := fullCommCare(b)
	raw := map[string]string{}
	for k, v := range in.Answers {
		q, _ := tpl.Question(k)
		raw[k] = q.Encode(v)
	}
	b.ReportAllocs()
	for b.Loop() {
		answers := make(map[string]Value, len(raw))
		for k, s := range raw {
			q, _ := tpl.Question(k)
			v, err := q.Decode(s)
			if err != nil {
				b.Fatal(err)
			}
			answers[k] = v
		}
		evaluateAll(tpl, Input{Answers: answers, Confirmed: in.Confirmed})
	}
}

// TestEvaluateAllocations holds the engine to its allocation budget (200
// per evaluation of a fully answered CommCare assessment).
func TestEvaluateAllocations(t *testing.T) {
	tpl, in := fullCommCare(t)
	got := testing.AllocsPerRun(100, func() { evaluateAll(tpl, in) })
	if got > 200 {
		t.Errorf("got %.0f allocations per evaluation, want at most 200", got)
	}
	t.Logf("%.0f allocations per evaluation", got)
}
