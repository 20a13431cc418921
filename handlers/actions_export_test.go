package handlers

import (
	"context"

	"groundwork/store"
	"groundwork/web"
)

// ActionItems is h.actionItems for the assessment id as the user sees it,
// for the tests of package handlers_test.
func (p *Portal) ActionItems(ctx context.Context, userID, id int64) ([]web.ActionItem, error) {
	ctx = context.WithValue(ctx, sessionKey{}, &session{Session: store.Session{User: store.User{ID: userID}}})
	st, err := p.h.store.AssessmentState(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	ws, err := p.h.newWorkspace(st)
	if err != nil {
		return nil, err
	}
	return p.h.actionItems(ctx, ws)
}
