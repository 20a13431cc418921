package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"groundwork/assessment"
)

// ConflictError reports that an item changed since the version the saver
// started from: somebody else saved first. Nothing was written; Current is
// what is stored now, so the page can show both values and let the person
// choose.
type ConflictError struct {
	Key     string
	Current Answer
	Mine    bool // the actor saved Current themselves (in another window or tab)
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("store: %s changed (now version %d, by %s)", e.Key, e.Current.Version, e.Current.UpdatedBy)
}

// AnswerChange is one answer to save, with the version the person started
// from (0: there was no answer). The zero Value removes the answer.
type AnswerChange struct {
	Key   string
	Value assessment.Value
	Base  int
}

// ConfirmationChange confirms or withdraws one checkpoint, with an
// optional evidence link and note on how it was done (at most NoteMax
// characters), from the version the person started from.
type ConfirmationChange struct {
	Key         string
	Confirmed   bool
	EvidenceURL string
	Note        string
	Base        int
}

// NoteMax is the most characters a checkpoint's note may hold.
const NoteMax = 2000

// PhaseChanges is what a phase form, or one field of it, asks to change.
type PhaseChanges struct {
	Answers       []AnswerChange
	Confirmations []ConfirmationChange
}

// SaveResult is the outcome of one change.
type SaveResult struct {
	Key      string
	Version  int            // the version now stored
	Changed  bool           // false when the value was already stored
	Conflict *ConflictError // set when somebody else saved first
	Previous Answer         // what was stored before (a confirmation in words)
}

// PhaseSaved is the outcome of SavePhase: one result per change, in the
// order asked, and the assessment's state after the save.
type PhaseSaved struct {
	Answers       []SaveResult
	Confirmations []SaveResult
	State         *State
	Before        *assessment.Result // the evaluation under the lock, before the save
}

// SavePhase saves answers and checkpoint confirmations of one phase in one
// transaction, with optimistic concurrency: a change whose Base is not the
// stored version is not written and comes back as a conflict (unless it
// asks for what is already stored); the others are saved. Every written
// change goes into the history. Changes to a locked or waived phase are
// refused as a whole with a *GateError, and an answer that does not
// validate with its error: the store only holds valid answers. Changing a
// submitted or approved phase withdraws it from review.
func (s *Store) SavePhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, ch PhaseChanges) (*PhaseSaved, error) {
	out := &PhaseSaved{}
	st, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		out.Answers, out.Confirmations, out.Before = out.Answers[:0], out.Confirmations[:0], e.res
		if len(ch.Answers)+len(ch.Confirmations) == 0 {
			return nil
		}
		if err := checkPhase(tpl, phase, ch); err != nil {
			return err
		}
		if err := e.checkGate(phase); err != nil {
			return err
		}
		changed := false
		for _, c := range ch.Answers {
			r, err := e.saveAnswer(c)
			if err != nil {
				return err
			}
			changed = changed || r.Changed
			out.Answers = append(out.Answers, r)
		}
		for _, c := range ch.Confirmations {
			r := e.saveConfirmation(c)
			changed = changed || r.Changed
			out.Confirmations = append(out.Confirmations, r)
		}
		if changed {
			e.edited(phase)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.State = st
	return out, nil
}

// checkPhase checks that every change names an item of the phase.
func checkPhase(tpl *assessment.Template, phase string, ch PhaseChanges) error {
	for _, c := range ch.Answers {
		if q, ok := tpl.Question(c.Key); !ok || q.PhaseKey() != phase {
			return fmt.Errorf("store: %w: question %q of phase %s", ErrNotFound, c.Key, phase)
		}
	}
	for _, c := range ch.Confirmations {
		if cp, ok := tpl.Checkpoint(c.Key); !ok || cp.PhaseKey() != phase {
			return fmt.Errorf("store: %w: checkpoint %q of phase %s", ErrNotFound, c.Key, phase)
		}
	}
	return nil
}

// saveAnswer validates and queues one answer.
func (e *edit) saveAnswer(c AnswerChange) (SaveResult, error) {
	q, _ := e.tpl.Question(c.Key)
	value := ""
	if !c.Value.IsZero() {
		if err := q.Validate(c.Value); err != nil {
			return SaveResult{}, err
		}
		value = q.Encode(c.Value)
	}
	cur := e.st.Answers[c.Key]
	r := SaveResult{Key: c.Key, Version: cur.Version, Previous: cur}
	switch {
	case value == cur.Value:
		// Already stored: nothing to write, whatever the base.
	case c.Base != cur.Version:
		r.Conflict = &ConflictError{Key: c.Key, Current: cur, Mine: cur.UpdatedByID == e.actor}
	default:
		r.Version, r.Changed = cur.Version+1, true
		e.queue(`
			INSERT INTO answers (assessment_id, question_key, value, version, updated_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (assessment_id, question_key) DO UPDATE
			SET value = EXCLUDED.value, version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			e.st.ID, c.Key, value, r.Version, e.actor)
		e.history("answer", c.Key, r.Version, optional(cur.Value, cur.Version > 0), value)
		e.st.Answers[c.Key] = Answer{Value: value, Version: r.Version, UpdatedAt: time.Now()}
	}
	return r, nil
}

// saveConfirmation queues one confirmation.
func (e *edit) saveConfirmation(c ConfirmationChange) SaveResult {
	url, note := strings.TrimSpace(c.EvidenceURL), strings.TrimSpace(c.Note)
	cur := e.st.Confirmations[c.Key]
	was := Answer{Value: ConfirmationText(cur.Confirmed, cur.EvidenceURL, cur.Note), Version: cur.Version, UpdatedBy: cur.UpdatedBy, UpdatedByID: cur.UpdatedByID, UpdatedAt: cur.UpdatedAt}
	r := SaveResult{Key: c.Key, Version: cur.Version, Previous: was}
	switch {
	case cur.Confirmed == c.Confirmed && cur.EvidenceURL == url && cur.Note == note:
	case c.Base != cur.Version:
		r.Conflict = &ConflictError{Key: c.Key, Current: was, Mine: was.UpdatedByID == e.actor}
	default:
		r.Version, r.Changed = cur.Version+1, true
		e.queue(`
			INSERT INTO confirmations (assessment_id, checkpoint_key, confirmed, evidence_url, note, version, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (assessment_id, checkpoint_key) DO UPDATE
			SET confirmed = EXCLUDED.confirmed, evidence_url = EXCLUDED.evidence_url, note = EXCLUDED.note, version = EXCLUDED.version,
			    updated_by = EXCLUDED.updated_by, updated_at = now()`,
			e.st.ID, c.Key, c.Confirmed, url, note, r.Version, e.actor)
		e.history("checkpoint", c.Key, r.Version, optional(was.Value, cur.Version > 0), ConfirmationText(c.Confirmed, url, note))
		e.st.Confirmations[c.Key] = Confirmation{Confirmed: c.Confirmed, EvidenceURL: url, Note: note, Version: r.Version, UpdatedAt: time.Now()}
	}
	return r
}

// ConfirmationText is how a confirmation reads in the history and in
// conflicts.
func ConfirmationText(confirmed bool, url, note string) string {
	s := "not confirmed"
	if confirmed {
		s = "confirmed"
	}
	if url != "" {
		s += "; evidence: " + url
	}
	if note != "" {
		s += "; how: " + note
	}
	return s
}
