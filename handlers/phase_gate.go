package handlers

import (
	"groundwork/assessment"
	"groundwork/web"
)

// The gate of a locked phase lists everything unfinished before it, which
// grows with every phase: 83 items on the last one. Only the first locked
// phase shows that list, since finishing it is what opens that phase; a
// later one just says which phase it opens after.

// nextToOpen returns the key of the first locked phase, or "".
func nextToOpen(res *assessment.Result) string {
	for i := range res.Phases {
		if res.Phases[i].Status == assessment.StatusLocked {
			return res.Phases[i].Key
		}
	}
	return ""
}

// opensAfter returns the phase a locked phase waits for last: that of the
// last issue of its gate (the gate lists issues in phase order).
func opensAfter(ws *workspace, key string) *web.Link {
	gate := ws.result.Blockers(key)
	if len(gate) == 0 {
		return nil
	}
	after := gate[len(gate)-1].Phase
	title := after
	if p, ok := ws.template.Phase(after); ok {
		title = after + " " + p.Title
	}
	return &web.Link{Text: title, Href: ws.phaseHref(after)}
}
