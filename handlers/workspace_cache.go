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

// maxCachedBodyBytes bounds the phase body cache; a body is some 20 to 40
// KB of HTML.
const maxCachedBodyBytes = 8 << 20

// bodyKey names a rendered phase body (web.PhaseBody) by everything it is
// made from: phaseView reads the workspace (named by assessment, revision,
// template and sign-off, as in the workspace cache), the phase, and from
// the assessment's row only its name and the actor's rights. Whatever else
// a phase view comes to show must be added here.
type bodyKey struct {
	id, revision       int64
	tpl                *assessment.Template
	signOff            bool
	phase, name        string
	canEdit, canReview bool
}

func (ws *workspace) bodyKey(p *assessment.Phase) bodyKey {
	return bodyKey{id: ws.st.ID, revision: ws.st.Revision, tpl: ws.tpl, signOff: ws.st.SignOff,
		phase: p.Key, name: ws.st.Name, canEdit: ws.st.CanEdit, canReview: ws.st.CanReview}
}

// bodyCache keeps recently rendered phase bodies, so that showing an
// unchanged phase again costs the layout around it, not the form. Its
// keys change with every change to the assessment, as the workspace
// cache's do.
type bodyCache struct {
	mu    sync.Mutex
	m     map[bodyKey]string
	bytes int
}

func (c *bodyCache) get(k bodyKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[k]
	return s, ok
}

func (c *bodyCache) put(k bodyKey, s string) {
	if len(s) > maxCachedBodyBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[bodyKey]string)
	}
	if old, ok := c.m[k]; ok {
		c.bytes -= len(old)
	}
	for old, body := range c.m { // arbitrary entries make room
		if c.bytes+len(s) <= maxCachedBodyBytes {
			break
		}
		delete(c.m, old)
		c.bytes -= len(body)
	}
	c.m[k] = s
	c.bytes += len(s)
}
