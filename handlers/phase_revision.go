package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"groundwork/store"
	"groundwork/web"
)

// phaseRevision shows one revision of a phase: its decisions and, once
// approved, the signed-off snapshot in words with its digest. ?verify=1
// (the Verify button) recomputes the digest from the stored snapshot and
// says whether it is intact.
func (h *handler) phaseRevision(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := h.loadPhase(r)
	if err != nil {
		return err
	}
	current := ws.stored.Reviews[p.Key].CurrentRevision()
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > current {
		return errNotFound
	}
	decisions, err := h.store.PhaseDecisions(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, p.Key)
	if err != nil {
		return err
	}
	v := web.RevisionView{AssessmentName: ws.stored.Name, AssessmentHref: ws.base(), PhaseKey: p.Key, PhaseTitle: p.Title,
		PhaseHref: ws.phaseHref(p.Key), N: n, Current: n == current}
	var approval *store.PhaseDecision
	for i, d := range decisions {
		if d.Revision != n {
			continue
		}
		dv := ws.decisionView(p, d)
		v.Decisions = append(v.Decisions, dv)
		if d.Action == store.ActionApproved {
			approval, v.Approval = &decisions[i], &dv
		}
	}
	if approval != nil {
		v.Canonical = string(approval.Snapshot)
		if s, err := store.ParseSnapshot(approval.Snapshot); err == nil {
			v.Answers, v.Checkpoints = ws.snapshotReadout(p, s)
		} else {
			v.Unreadable = true
		}
		if r.URL.Query().Get("verify") != "" {
			sum := sha256.Sum256(approval.Snapshot)
			v.Verified, v.Recomputed = true, hex.EncodeToString(sum[:])
			switch err := approval.Verify(); {
			case err == nil:
				v.Intact = true
			case errors.Is(err, store.ErrNotCanonical):
				v.Problem = "Its digest matches, but the stored snapshot is not in its canonical encoding, so it was not stored as signed off."
			default:
				v.Problem = "The SHA-256 recomputed from the stored snapshot is not the digest recorded at sign-off: the snapshot was changed after the advisor approved it."
			}
		}
	}
	title := "Revision " + strconv.Itoa(n) + " of " + p.Key + " " + p.Title + " · " + ws.stored.Name
	return h.render(w, r, http.StatusOK, web.RevisionPage(h.page(r, title, "assessments"), v))
}
