package assessment

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Status is a phase's computed state. It is never stored: Evaluate derives
// it from the answers, confirmations and reviews each time.
type Status string

// The phase statuses.
const (
	StatusLocked           Status = "locked"            // an earlier required phase is not done
	StatusOpen             Status = "open"              // workable, nothing entered yet
	StatusInProgress       Status = "in_progress"       // something entered, not complete
	StatusComplete         Status = "complete"          // every requirement met, not submitted
	StatusSubmitted        Status = "submitted"         // complete and awaiting the advisor
	StatusApproved         Status = "approved"          // complete and approved
	StatusChangesRequested Status = "changes_requested" // the advisor asked for changes
	StatusNotApplicable    Status = "not_applicable"    // an optional phase waived with a reason
)

// ReviewState is where a phase stands with the advisor; it is stored.
type ReviewState string

// The review states; the zero value means never submitted.
const (
	ReviewNone             ReviewState = ""
	ReviewSubmitted        ReviewState = "submitted"
	ReviewApproved         ReviewState = "approved"
	ReviewChangesRequested ReviewState = "changes_requested"
)

// Review is the stored, hand-set state of one phase: its review and, for an
// optional phase, whether it was waived and why. A waiver on a phase that
// is not optional is ignored (CheckWaiver refuses to make one).
//
// The store should reset State to ReviewNone when an answer or confirmation
// of a submitted or approved phase changes: Evaluate drops a submission or
// approval by itself only when the phase stops being complete.
type Review struct {
	State  ReviewState `json:"state,omitempty"`
	Waived bool        `json:"waived,omitempty"`
	Reason string      `json:"reason,omitempty"`
}

// Input is everything Evaluate needs about one assessment. Answers are
// keyed by question key, confirmations by checkpoint key, reviews by phase
// key; keys the template does not know are ignored.
type Input struct {
	Answers   map[string]Value
	Confirmed map[string]bool
	Reviews   map[string]Review
	// SignOff makes every required phase need the advisor's approval
	// before later phases open.
	SignOff bool
}

// IssueKind says what an Issue is about.
type IssueKind string

// The kinds of issue.
const (
	IssueRequired   IssueKind = "required"   // a required visible question has no answer
	IssueInvalid    IssueKind = "invalid"    // a visible answer fails validation
	IssueCheckpoint IssueKind = "checkpoint" // a blocking checkpoint is not confirmed
	IssueRule       IssueKind = "rule"       // a cross-answer rule fails
	IssueReview     IssueKind = "review"     // the phase awaits submission or approval
)

// Issue is one blocker or warning, in words and with the keys a page needs
// to link to the field that causes it: Phase with Question or Checkpoint.
type Issue struct {
	Phase      string    `json:"phase"`
	Kind       IssueKind `json:"kind"`
	Question   string    `json:"question,omitempty"`
	Checkpoint string    `json:"checkpoint,omitempty"`
	Rule       string    `json:"rule,omitempty"`
	Row        int       `json:"row,omitempty"` // table row of a failing rule, from 1
	Message    string    `json:"message"`
}

// PhaseResult is the evaluated state of one phase.
type PhaseResult struct {
	Key    string `json:"key"`
	Status Status `json:"status"`
	// Complete reports whether the phase's own requirements are met: every
	// required visible question answered validly, no invalid visible answer,
	// every blocking checkpoint confirmed and no blocking rule failing.
	Complete bool `json:"complete"`
	// Passed reports whether the phase lets later phases open: complete,
	// no changes requested and, under sign-off, approved.
	Passed bool `json:"passed"`

	Required    int `json:"required"`    // required visible questions
	Answered    int `json:"answered"`    // of which validly answered
	Checkpoints int `json:"checkpoints"` // blocking checkpoints
	Confirmed   int `json:"confirmed"`   // of which confirmed
	Points      int `json:"points"`      // see Score
	Earned      int `json:"earned"`
	Score       int `json:"score"`

	// Blockers are what keeps the phase from being complete.
	Blockers []*Issue `json:"blockers,omitempty"`
	// Warnings are failing rules of severity warn; they never block.
	Warnings []*Issue `json:"warnings,omitempty"`

	optional bool
	review   ReviewState
	gateN    int // length of Result.gate before this phase
	b0, w0   int // start of this phase's issues in the shared slices
}

// Result is the evaluated state of an assessment.
type Result struct {
	Phases []PhaseResult `json:"phases"`
	Points int           `json:"points"`
	Earned int           `json:"earned"`
	Score  int           `json:"score"` // overall readiness, 0-100, see Score

	tpl *Template
	st  []qstate
	// gate holds, in phase order, the issues of every required phase that
	// has not passed; a locked phase's blockers are a prefix of it.
	gate []*Issue
}

// qstate is the state of one question's answer during an evaluation.
type qstate uint8

const (
	stateHidden qstate = iota
	stateEmpty
	stateValid
	stateInvalid
)

// QuestionState is the state of one question in an evaluated assessment.
type QuestionState string

// The question states.
const (
	QuestionHidden     QuestionState = "hidden" // its show_if conditions do not hold
	QuestionUnanswered QuestionState = "unanswered"
	QuestionValid      QuestionState = "valid"
	QuestionInvalid    QuestionState = "invalid"
)

// Evaluate computes every phase's status, blockers, warnings and readiness
// score. It is pure: the same input gives the same result.
//
// Gating: a phase is locked until every earlier phase that is not optional
// has passed (see PhaseResult.Passed). Optional phases never hold later
// phases back, whether complete, waived or untouched; they are open for work
// in their turn like any other phase, or waived as not applicable.
func (t *Template) Evaluate(in Input) *Result {
	res := &Result{tpl: t, Phases: make([]PhaseResult, len(t.Phases)), st: make([]qstate, len(t.questions))}
	st := res.st
	// Answers are copied into a slice indexed like the questions once, so
	// that conditions and rules read them without hashing keys again.
	vals := make([]Value, len(t.questions))
	for i, q := range t.questions {
		if !q.ShowIf.allHold(st, vals) {
			st[i] = stateHidden
			continue
		}
		v, ok := in.Answers[q.Key]
		vals[i] = v
		switch {
		case !ok || q.empty(&v):
			st[i] = stateEmpty
		case q.check(v, nil):
			st[i] = stateValid
		default:
			st[i] = stateInvalid
		}
	}

	// Every phase's issues go into two shared slices, cut up at the end:
	// a few allocations per evaluation instead of a few per phase.
	var blk, wrn []*Issue
	open := true // every earlier required phase has passed
	for pi, p := range t.Phases {
		pr := &res.Phases[pi]
		pr.Key, pr.optional = p.Key, p.Optional
		pr.b0, pr.w0 = len(blk), len(wrn)
		var active bool
		blk, wrn, active = t.evalPhase(p, pr, in, st, vals, blk, wrn)
		rv := in.Reviews[p.Key]
		pr.review = rv.State
		pr.Complete = len(blk) == pr.b0
		pr.Passed = pr.Complete && rv.State != ReviewChangesRequested && (!in.SignOff || rv.State == ReviewApproved)
		switch {
		case p.Optional && rv.Waived:
			pr.Status = StatusNotApplicable
		case !open:
			pr.Status = StatusLocked
		case rv.State == ReviewChangesRequested:
			pr.Status = StatusChangesRequested
		case pr.Complete && rv.State == ReviewApproved:
			pr.Status = StatusApproved
		case pr.Complete && rv.State == ReviewSubmitted:
			pr.Status = StatusSubmitted
		case pr.Complete:
			pr.Status = StatusComplete
		case active:
			pr.Status = StatusInProgress
		default:
			pr.Status = StatusOpen
		}
		if !p.Optional && !pr.Passed {
			open = false
		}
		pr.Points, pr.Earned = phasePoints(pr)
		pr.Score = score(pr.Earned, pr.Points, pr.Complete)
		if pr.Status != StatusNotApplicable {
			res.Points += pr.Points
			res.Earned += pr.Earned
		}
	}
	for pi := range res.Phases {
		pr := &res.Phases[pi]
		b1, w1 := len(blk), len(wrn)
		if pi+1 < len(res.Phases) {
			b1, w1 = res.Phases[pi+1].b0, res.Phases[pi+1].w0
		}
		if b1 > pr.b0 {
			pr.Blockers = blk[pr.b0:b1:b1]
		}
		if w1 > pr.w0 {
			pr.Warnings = wrn[pr.w0:w1:w1]
		}
		pr.gateN = len(res.gate)
		if !pr.optional && !pr.Passed && pi+1 < len(res.Phases) {
			res.gate = append(res.gate, pr.gateIssues(in.SignOff)...)
		}
	}
	res.Score = res.overallScore()
	return res
}

// gateIssues says why a required phase holds later phases locked: its own
// blockers or, when it is complete, the review it awaits. A request for
// changes says what opens the later phases again, since they may have been
// open before it (without sign-off, a submitted phase lets them open).
func (pr *PhaseResult) gateIssues(signOff bool) []*Issue {
	if !pr.Complete {
		return pr.Blockers
	}
	msg := pr.Key + ": awaiting submission for the advisor's approval"
	switch pr.review {
	case ReviewSubmitted:
		msg = pr.Key + ": submitted, awaiting the advisor's approval"
	case ReviewChangesRequested:
		msg = pr.Key + ": the advisor requested changes; make them and submit " + pr.Key + " again"
		if signOff {
			msg += " for approval"
		}
	}
	return []*Issue{{Phase: pr.Key, Kind: IssueReview, Message: msg}}
}

// evalPhase counts and lists what the phase still lacks. It reports whether
// anything was entered in the phase.
func (t *Template) evalPhase(p *Phase, pr *PhaseResult, in Input, st []qstate, vals []Value, blk, wrn []*Issue) (_, _ []*Issue, active bool) {
	for i, q := range p.Questions {
		switch st[p.first+i] {
		case stateHidden:
			continue
		case stateEmpty:
			if q.Required {
				pr.Required++
				blk = append(blk, &q.missing)
			}
		case stateValid:
			active = true
			if q.Required {
				pr.Required++
				pr.Answered++
			}
		case stateInvalid:
			active = true
			if q.Required {
				pr.Required++
			}
			msg := "is not valid"
			var ve *ValidationError
			if errors.As(q.Validate(vals[p.first+i]), &ve) && len(ve.Problems) > 0 {
				msg = ve.Problems[0].Message
			}
			blk = append(blk, &Issue{Phase: p.Key, Kind: IssueInvalid, Question: q.Key,
				Message: p.Key + ": '" + q.Label + "': " + msg})
		}
	}
	for _, c := range p.Checkpoints {
		ok := in.Confirmed[c.Key]
		active = active || ok
		if !c.Blocking {
			continue
		}
		pr.Checkpoints++
		if ok {
			pr.Confirmed++
			continue
		}
		blk = append(blk, &c.unconfirmed)
	}
	for _, r := range p.Rules {
		failed, row := r.eval(t, st, vals)
		if !failed {
			continue
		}
		msg := p.Key + ": " + r.Message
		if row > 0 {
			msg += fmt.Sprintf(" (row %d)", row)
		}
		is := &Issue{Phase: p.Key, Kind: IssueRule, Question: r.Question, Rule: r.Key, Row: row, Message: msg}
		if r.Severity == SeverityBlock {
			blk = append(blk, is)
		} else {
			wrn = append(wrn, is)
		}
	}
	return blk, wrn, active
}

// Phase returns the result of the phase with the given key.
func (r *Result) Phase(key string) (*PhaseResult, bool) {
	i, ok := r.tpl.pindex[key]
	if !ok {
		return nil, false
	}
	return &r.Phases[i], true
}

// Question returns the state of a question's answer; an unknown key is
// reported hidden.
func (r *Result) Question(key string) QuestionState {
	i, ok := r.tpl.qindex[key]
	if !ok {
		return QuestionHidden
	}
	switch r.st[i] {
	case stateEmpty:
		return QuestionUnanswered
	case stateValid:
		return QuestionValid
	case stateInvalid:
		return QuestionInvalid
	}
	return QuestionHidden
}

// Visible reports whether a question is shown, given the other answers.
func (r *Result) Visible(key string) bool { return r.Question(key) != QuestionHidden }

// Blockers returns, in words, what stands between a phase and progress. For
// a locked phase that is why it is locked: the blockers of every earlier
// required phase that has not passed (or, when such a phase is complete,
// that it awaits submission, approval or changes). For any other phase it
// is the phase's own blockers. Every issue names the phase and question or
// checkpoint it comes from, so a page can link to the field. The slice is
// shared, and so are the issues: do not modify them.
func (r *Result) Blockers(key string) []*Issue {
	i, ok := r.tpl.pindex[key]
	if !ok {
		return nil
	}
	pr := &r.Phases[i]
	if pr.Status != StatusLocked {
		return pr.Blockers
	}
	return r.gate[:pr.gateN:pr.gateN]
}

// Current returns the key of the first phase someone can work on (open, in
// progress, complete but unsubmitted, or with changes requested), or "" when
// there is none.
func (r *Result) Current() string { return r.Progress().Current() }

// Errors returned by the checks that guard stored state changes.
var (
	ErrUnknownPhase = errors.New("unknown phase")
	ErrLocked       = errors.New("phase is locked")
	ErrNotOptional  = errors.New("only an optional phase can be marked not applicable")
	ErrNoReason     = errors.New("a reason is required")
	ErrLongReason   = fmt.Errorf("the reason is longer than %d characters", MaxWaiverChars)
	ErrWaived       = errors.New("phase is marked not applicable")
	ErrIncomplete   = errors.New("phase is not complete")
	ErrNotSubmitted = errors.New("phase is not submitted")
	ErrApproved     = errors.New("phase is approved: reopen it to change it")
	ErrNotApproved  = errors.New("phase is not approved")
)

// CheckEdit reports whether answers and confirmations of a phase may be
// saved: not while it is locked or marked not applicable, nor once the
// advisor approved it (its sign-off froze it; reopening it starts a new
// revision). The store must call it before every save, so gating holds on
// the server whatever the page shows.
func (r *Result) CheckEdit(key string) error {
	pr, ok := r.Phase(key)
	switch {
	case !ok:
		return ErrUnknownPhase
	case pr.Status == StatusLocked:
		return ErrLocked
	case pr.Status == StatusNotApplicable:
		return ErrWaived
	case pr.Status == StatusApproved:
		return ErrApproved
	}
	return nil
}

// CheckReopen reports whether an approved phase may be reopened: it must
// be approved, and not locked behind an earlier phase that was reopened.
func (r *Result) CheckReopen(key string) error {
	pr, ok := r.Phase(key)
	switch {
	case !ok:
		return ErrUnknownPhase
	case pr.Status == StatusLocked:
		return ErrLocked
	case pr.Status != StatusApproved:
		return ErrNotApproved
	}
	return nil
}

// CheckSubmit reports whether a phase may be submitted for review: it must
// be complete and not locked, and not already submitted or approved.
func (r *Result) CheckSubmit(key string) error {
	pr, ok := r.Phase(key)
	switch {
	case !ok:
		return ErrUnknownPhase
	case pr.Status == StatusLocked:
		return ErrLocked
	case pr.Status == StatusNotApplicable:
		return ErrWaived
	case !pr.Complete:
		return ErrIncomplete
	case pr.Status == StatusSubmitted || pr.Status == StatusApproved:
		return fmt.Errorf("phase is already %s", pr.Status)
	}
	return nil
}

// CheckReview reports whether the advisor may approve a phase or request
// changes: it must be submitted.
func (r *Result) CheckReview(key string) error {
	pr, ok := r.Phase(key)
	switch {
	case !ok:
		return ErrUnknownPhase
	case pr.Status != StatusSubmitted:
		return ErrNotSubmitted
	}
	return nil
}

// MaxWaiverChars bounds the reason an optional phase does not apply.
const MaxWaiverChars = 2000

// CheckWaiver reports whether a phase may be marked not applicable with the
// given reason: only optional phases, and only with a reason of at most
// MaxWaiverChars characters.
func (t *Template) CheckWaiver(key, reason string) error {
	p, ok := t.Phase(key)
	switch {
	case !ok:
		return ErrUnknownPhase
	case !p.Optional:
		return ErrNotOptional
	case strings.TrimSpace(reason) == "":
		return ErrNoReason
	case utf8.RuneCountInString(strings.TrimSpace(reason)) > MaxWaiverChars:
		return ErrLongReason
	}
	return nil
}
