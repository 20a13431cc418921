package assessment

// Readiness scoring. Every phase is worth points:
//
//   - QuestionPoints for each required question that is currently visible,
//     earned when it holds a valid answer;
//   - CheckpointPoints for each blocking checkpoint, earned when confirmed
//     (a checkpoint is a verified outcome, worth more than one answer).
//
// A phase's score is floor(100 × earned / points). It is 100 exactly when
// the phase is complete: a phase with every point earned but an invalid
// optional answer or a failing blocking rule scores 99, and a phase with no
// points scores 100 when complete and 0 otherwise. Reviews do not count:
// readiness measures the work, approval is tracked by the status.
//
// The overall score applies the same formula to the sums over all phases
// except those marked not applicable; untouched optional phases count until
// they are done or waived, since the transition is not ready before someone
// decides about them. It is 100 exactly when every counted phase is complete.
const (
	QuestionPoints   = 1
	CheckpointPoints = 2
)

// phasePoints returns the points a phase is worth and those it has earned.
func phasePoints(pr *PhaseResult) (points, earned int) {
	points = pr.Required*QuestionPoints + pr.Checkpoints*CheckpointPoints
	earned = pr.Answered*QuestionPoints + pr.Confirmed*CheckpointPoints
	return points, earned
}

// score turns points into a 0-100 readiness score.
func score(earned, points int, complete bool) int {
	if points == 0 {
		if complete {
			return 100
		}
		return 0
	}
	s := 100 * earned / points
	if s == 100 && !complete {
		return 99
	}
	return s
}

// overallScore scores the whole assessment.
func (r *Result) overallScore() int {
	complete := true
	for i := range r.Phases {
		if r.Phases[i].Status != StatusNotApplicable && !r.Phases[i].Complete {
			complete = false
		}
	}
	return score(r.Earned, r.Points, complete)
}
