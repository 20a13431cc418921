package handlers

import (
	"sync"

	"groundwork/assessment"
	"groundwork/store"
)

// maxCachedWorkspaces bounds the workspace cache. An entry is an
// assessment's items with their evaluation, some 10 to 30 KB.
const maxCachedWorkspaces = 512

// workspaceCache keeps the items and evaluation of recently shown
// assessments, so that a page of an assessment that has not changed since
// costs one query (its row, with the actor's rights and its revision)
// instead of two, and no evaluation.
//
// An entry is used only when the revision just read with the assessment's
// row is the one it was loaded at. Every change to what the entry holds
// moves the revision in the same transaction (store.Assessment.Revision),
// so an entry is never out of date, and several instances behind a proxy
// need no coordination. Access is checked by that query on every request,
// as before. Entries are shared between requests and never changed.
type workspaceCache struct {
	mu sync.Mutex
	m  map[int64]*workspace
}

// get returns a workspace for the assessment row a, as the actor who just
// loaded it sees it, when the cache holds its items at a's revision.
func (c *workspaceCache) get(a store.Assessment, tpl *assessment.Template) (*workspace, bool) {
	c.mu.Lock()
	e := c.m[a.ID]
	c.mu.Unlock()
	if e == nil || e.st.Revision != a.Revision || e.tpl != tpl || e.st.SignOff != a.SignOff {
		return nil, false
	}
	st := *e.st // the items are shared; the row is this request's
	st.Assessment = a
	return &workspace{st: &st, tpl: e.tpl, in: e.in, res: e.res}, true
}

// has reports whether the cache holds some copy of the assessment id.
func (c *workspaceCache) has(id int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[id] != nil
}

// put keeps a copy of ws, whose items and evaluation must not change
// afterwards.
func (c *workspaceCache) put(ws workspace) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[int64]*workspace)
	}
	if _, ok := c.m[ws.st.ID]; !ok && len(c.m) >= maxCachedWorkspaces {
		for id := range c.m { // an arbitrary entry makes room
			delete(c.m, id)
			break
		}
	}
	c.m[ws.st.ID] = &ws
}
