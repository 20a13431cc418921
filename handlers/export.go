package handlers

import (
	"encoding/json"
	"net/http"
	"time"

	"groundwork/assessment"
)

// exportJSON is the whole assessment as JSON: template id and version,
// phases with status, answers, checkpoints, evidence metadata and history
// counts.
func (h *handler) exportJSON(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	type evidence struct {
		ID          int64     `json:"id"`
		Filename    string    `json:"filename"`
		ContentType string    `json:"content_type"`
		Size        int       `json:"size"`
		UploadedBy  string    `json:"uploaded_by"`
		UploadedAt  time.Time `json:"uploaded_at"`
		URL         string    `json:"url"`
	}
	type answer struct {
		Question  string          `json:"question"`
		Label     string          `json:"label"`
		Type      string          `json:"type"`
		State     string          `json:"state"`
		Value     json.RawMessage `json:"value"`
		Version   int             `json:"version"`
		UpdatedBy string          `json:"updated_by,omitempty"`
		UpdatedAt *time.Time      `json:"updated_at,omitempty"`
		History   int             `json:"history_count"`
	}
	type checkpoint struct {
		Key         string     `json:"key"`
		Text        string     `json:"text"`
		Blocking    bool       `json:"blocking"`
		Confirmed   bool       `json:"confirmed"`
		EvidenceURL string     `json:"evidence_url,omitempty"`
		Version     int        `json:"version"`
		UpdatedBy   string     `json:"updated_by,omitempty"`
		UpdatedAt   *time.Time `json:"updated_at,omitempty"`
		History     int        `json:"history_count"`
		Evidence    []evidence `json:"evidence"`
	}
	type phase struct {
		Key         string              `json:"key"`
		Title       string              `json:"title"`
		Optional    bool                `json:"optional"`
		Status      assessment.Status   `json:"status"`
		Score       int                 `json:"score"`
		Required    int                 `json:"required"`
		Answered    int                 `json:"answered"`
		Checkpoints int                 `json:"checkpoints_blocking"`
		Confirmed   int                 `json:"checkpoints_confirmed"`
		Review      any                 `json:"review,omitempty"`
		Blockers    []*assessment.Issue `json:"blockers"`
		Warnings    []*assessment.Issue `json:"warnings"`
		Answers     []answer            `json:"answers"`
		Confirms    []checkpoint        `json:"checkpoints"`
	}
	out := struct {
		ID           int64     `json:"id"`
		Name         string    `json:"name"`
		Organisation any       `json:"organisation"`
		Template     any       `json:"template"`
		SignOff      bool      `json:"sign_off"`
		Readiness    int       `json:"readiness"`
		CreatedAt    time.Time `json:"created_at"`
		UpdatedAt    time.Time `json:"updated_at"`
		ExportedAt   time.Time `json:"exported_at"`
		Phases       []phase   `json:"phases"`
	}{
		ID: ws.stored.ID, Name: ws.stored.Name,
		Organisation: map[string]string{"slug": ws.stored.OrganisationSlug, "name": ws.stored.OrganisationName},
		Template:     map[string]any{"id": ws.template.ID, "version": ws.template.Version, "title": ws.template.Title, "platform": ws.template.Platform},
		SignOff:      ws.stored.SignOff, Readiness: ws.result.Score, CreatedAt: ws.stored.CreatedAt, UpdatedAt: ws.stored.UpdatedAt, ExportedAt: time.Now().UTC(),
	}
	when := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	for i, p := range ws.template.Phases {
		pr := &ws.result.Phases[i]
		ph := phase{Key: p.Key, Title: p.Title, Optional: p.Optional, Status: pr.Status, Score: pr.Score, Required: pr.Required,
			Answered: pr.Answered, Checkpoints: pr.Checkpoints, Confirmed: pr.Confirmed,
			Blockers: nonNil(ws.result.Blockers(p.Key)), Warnings: nonNil(pr.Warnings), Answers: []answer{}, Confirms: []checkpoint{}}
		if rv, ok := ws.stored.Reviews[p.Key]; ok {
			ph.Review = map[string]any{"state": rv.State, "waived": rv.Waived, "reason": rv.Reason, "comment": rv.Comment, "by": rv.UpdatedBy, "at": rv.UpdatedAt}
		}
		for _, q := range p.Questions {
			a := ws.stored.Answers[q.Key]
			val := json.RawMessage("null")
			if v, ok := ws.input.Answers[q.Key]; ok {
				val = q.JSONValue(v)
			}
			ph.Answers = append(ph.Answers, answer{Question: q.Key, Label: q.Label, Type: string(q.Type), State: string(ws.result.Question(q.Key)),
				Value: val, Version: a.Version, UpdatedBy: a.UpdatedBy, UpdatedAt: when(a.UpdatedAt), History: a.Version})
		}
		for _, c := range p.Checkpoints {
			conf := ws.stored.Confirmations[c.Key]
			cp := checkpoint{Key: c.Key, Text: c.Text, Blocking: c.Blocking, Confirmed: conf.Confirmed, EvidenceURL: conf.EvidenceURL,
				Version: conf.Version, UpdatedBy: conf.UpdatedBy, UpdatedAt: when(conf.UpdatedAt), History: conf.Version, Evidence: []evidence{}}
			for _, e := range ws.stored.Evidence[c.Key] {
				cp.Evidence = append(cp.Evidence, evidence{ID: e.ID, Filename: e.Filename, ContentType: e.ContentType, Size: e.Size,
					UploadedBy: e.UploadedBy, UploadedAt: e.UploadedAt, URL: h.opts.BaseURL.String() + ws.base() + "/evidence/" + itoa(e.ID)})
			}
			ph.Confirms = append(ph.Confirms, cp)
		}
		out.Phases = append(out.Phases, ph)
	}
	w.Header().Set("Content-Disposition", `attachment; filename="assessment-`+itoa(ws.stored.ID)+`.json"`)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func nonNil(issues []*assessment.Issue) []*assessment.Issue {
	if issues == nil {
		return []*assessment.Issue{}
	}
	return issues
}
