package handlers

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"time"

	"groundwork/assessment"
	"groundwork/store"
)

// exportJSON is the whole assessment as JSON (exportAssessment): template
// id and version, phases with status, decisions and sign-offs, answers,
// checkpoints, evidence metadata, history counts and comment threads.
func (h *handler) exportJSON(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	talk, err := h.talk(r, ws)
	if err != nil {
		return err
	}
	out, err := h.exportDocument(r, ws, talk)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="assessment-`+itoa(ws.stored.ID)+`.json"`)
	_ = writeExport(w, out) // the client may have gone; nothing more to do
	return nil
}

// writeExport writes the export document to w as indented JSON, the one
// encoding of export.json (the download and the evidence pack's copy).
func writeExport(w io.Writer, doc *exportAssessment) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// talk reads every phase's decisions and comment threads of the loaded
// assessment, in one round trip: what the exports and the report show.
func (h *handler) talk(r *http.Request, ws *workspace) (*store.PhaseTalk, error) {
	return h.store.PhaseTalk(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, "", false)
}

// exportDocument is the export document of the loaded assessment, with
// its decisions and threads (talk).
func (h *handler) exportDocument(r *http.Request, ws *workspace, talk *store.PhaseTalk) (*exportAssessment, error) {
	decisions, threads := talk.Decisions, talk.Threads
	people, err := h.store.AssessmentPeople(r.Context(), userFrom(r.Context()).ID, ws.stored.ID)
	if err != nil {
		return nil, err
	}
	out := &exportAssessment{
		Format: exportFormat, ID: ws.stored.ID, Name: ws.stored.Name,
		Organisation: exportOrganisation{Slug: ws.stored.OrganisationSlug, Name: ws.stored.OrganisationName},
		Template:     exportTemplate{ID: ws.template.ID, Version: ws.template.Version, Title: ws.template.Title, Platform: ws.template.Platform},
		SignOff:      ws.stored.SignOff, Readiness: ws.result.Score, CreatedAt: ws.stored.CreatedAt, UpdatedAt: ws.stored.UpdatedAt, ExportedAt: time.Now().UTC(),
	}
	if ws.stored.Archived() {
		at := ws.stored.ArchivedAt.UTC()
		out.ArchivedAt, out.ArchivedBy = &at, ws.stored.ArchivedBy
	}
	out.People = []exportPerson{}
	for _, p := range people {
		out.People = append(out.People, exportPerson{Name: p.Name, Email: p.Email})
	}
	when := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	for i, p := range ws.template.Phases {
		pr := &ws.result.Phases[i]
		ph := exportPhase{Key: p.Key, Title: p.Title, Optional: p.Optional, Status: pr.Status, Score: pr.Score, Required: pr.Required,
			Answered: pr.Answered, BlockingCheckpoints: pr.Checkpoints, ConfirmedCheckpoints: pr.Confirmed,
			Blockers: nonNil(ws.result.Blockers(p.Key)), Warnings: nonNil(pr.Warnings), Answers: []exportAnswer{}, Checkpoints: []exportCheckpoint{},
			Decisions: []exportDecision{}}
		if rv, ok := ws.stored.Reviews[p.Key]; ok {
			ph.Review = &exportReview{State: rv.State, Waived: rv.Waived, Reason: rv.Reason, Comment: rv.Comment, Revision: rv.CurrentRevision(), By: rv.UpdatedBy, At: rv.UpdatedAt}
		}
		for _, d := range decisions {
			if d.Phase == p.Key {
				ph.Decisions = append(ph.Decisions, exportDecision{Revision: d.Revision, Action: d.Action, Reason: d.Reason, Questions: d.Questions,
					By: d.By, At: d.At, Snapshot: string(d.Snapshot), SHA256: hex.EncodeToString(d.Digest)})
			}
		}
		for _, q := range p.Questions {
			a := ws.stored.Answers[q.Key]
			val := json.RawMessage("null")
			if v, ok := ws.input.Answers[q.Key]; ok {
				val = q.JSONValue(v)
			}
			ph.Answers = append(ph.Answers, exportAnswer{Question: q.Key, Label: q.Label, Type: string(q.Type), State: string(ws.result.Question(q.Key)),
				Value: val, Version: a.Version, UpdatedBy: a.UpdatedBy, UpdatedAt: when(a.UpdatedAt), History: a.Version})
		}
		for _, c := range p.Checkpoints {
			conf := ws.stored.Confirmations[c.Key]
			cp := exportCheckpoint{Key: c.Key, Text: c.Text, Blocking: c.Blocking, Confirmed: conf.Confirmed, EvidenceURL: conf.EvidenceURL, Note: conf.Note,
				Version: conf.Version, UpdatedBy: conf.UpdatedBy, UpdatedAt: when(conf.UpdatedAt), History: conf.Version, Evidence: []exportEvidence{}}
			for _, e := range ws.stored.Evidence[c.Key] {
				cp.Evidence = append(cp.Evidence, exportEvidence{ID: e.ID, Filename: e.Filename, ContentType: e.ContentType, Size: e.Size,
					UploadedBy: e.UploadedBy, UploadedAt: e.UploadedAt, URL: h.opts.BaseURL.String() + ws.base() + "/evidence/" + itoa(e.ID),
					SHA256: e.SHA256, File: packPath(p.Key, e)})
			}
			ph.Checkpoints = append(ph.Checkpoints, cp)
		}
		ph.Threads = exportThreads(threads, p.Key, when)
		out.Phases = append(out.Phases, ph)
	}
	plans, err := h.store.ActionPlans(r.Context(), userFrom(r.Context()).ID, ws.stored.ID)
	if err != nil {
		return nil, err
	}
	out.Actions = []exportAction{}
	for _, key := range slices.Sorted(maps.Keys(plans.Plans)) {
		p := plans.Plans[key]
		a := exportAction{Item: key, Owner: p.Owner, UpdatedBy: p.UpdatedBy, UpdatedAt: p.UpdatedAt}
		if !p.Due.IsZero() {
			a.Due = p.Due.Format(time.DateOnly)
		}
		out.Actions = append(out.Actions, a)
	}
	return out, nil
}

// exportThreads are the threads of the phase.
func exportThreads(threads []store.Thread, phase string, when func(time.Time) *time.Time) []exportThread {
	out := []exportThread{}
	for _, t := range threads {
		if t.Phase != phase {
			continue
		}
		et := exportThread{ID: t.ID, Kind: string(t.Kind), Question: t.Question, Marked: t.Questions,
			Resolved: t.Resolved(), ResolvedBy: t.ResolvedBy, ResolvedAt: when(t.ResolvedAt)}
		for _, c := range append([]store.Comment{t.Comment}, t.Replies...) {
			ec := exportComment{ID: c.ID, Author: c.Author, Body: c.Body, CreatedAt: c.CreatedAt, EditedAt: when(c.EditedAt)}
			for _, p := range c.Previous {
				ec.Previous = append(ec.Previous, exportCommentVersion{Body: p.Body, ReplacedAt: p.ReplacedAt})
			}
			et.Comments = append(et.Comments, ec)
		}
		out = append(out, et)
	}
	return out
}

func nonNil(issues []*assessment.Issue) []*assessment.Issue {
	if issues == nil {
		return []*assessment.Issue{}
	}
	return issues
}
