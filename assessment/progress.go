package assessment

// Progress is what lists show of an evaluation: the readiness and each
// phase's status. The store keeps it with the assessment whenever a change
// is saved, so that a list of fifty assessments reads fifty rows instead
// of evaluating fifty assessments from their answers.
type Progress struct {
	Score  int             `json:"score"`
	Phases []PhaseProgress `json:"phases"`
}

// PhaseProgress is one phase of a Progress, in template order.
type PhaseProgress struct {
	Key      string `json:"key"`
	Status   Status `json:"status"`
	Complete bool   `json:"complete,omitempty"`
	Passed   bool   `json:"passed,omitempty"`
}

// Progress returns the evaluation's progress.
func (r *Result) Progress() Progress {
	s := Progress{Score: r.Score, Phases: make([]PhaseProgress, len(r.Phases))}
	for i, p := range r.Phases {
		s.Phases[i] = PhaseProgress{Key: p.Key, Status: p.Status, Complete: p.Complete, Passed: p.Passed}
	}
	return s
}

// Current returns the key of the first phase someone can work on (open, in
// progress, complete but unsubmitted, or with changes requested), or "" when
// there is none.
func (s Progress) Current() string {
	for _, p := range s.Phases {
		switch p.Status {
		case StatusOpen, StatusInProgress, StatusChangesRequested, StatusComplete:
			if p.Status == StatusComplete && p.Passed {
				continue
			}
			return p.Key
		}
	}
	return ""
}

// Phase returns the progress of the phase with the key.
func (s Progress) Phase(key string) (PhaseProgress, bool) {
	for _, p := range s.Phases {
		if p.Key == key {
			return p, true
		}
	}
	return PhaseProgress{}, false
}
