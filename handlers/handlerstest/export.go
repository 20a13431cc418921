package handlerstest

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// MustID is the id at the end of an assessment's path.
func MustID(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// ReviewConversation plays phase 1.1's review after the manager b has
// filled it: submitted; the advisor comments on a question (the manager
// replies, the advisor edits), requests changes marking that question;
// the manager gives the request and a checkpoint of 2.1 an owner (and the
// request a due date), resolves the request and submits again; the advisor
// approves.
// It returns the advisor's browser.
func ReviewConversation(t *testing.T, e *Env, b *Browser, base string) *Browser {
	t.Helper()
	p11 := base + "/phases/1.1"
	Posted(t, "submit", b, p11+"/submit", url.Values{})
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	loc := Posted(t, "comment", adv, p11+"/comments", url.Values{"question": {"architecture_diagram_url"}, "comment": {"@manager is this the latest diagram?"}})
	question := loc[strings.LastIndex(loc, "-")+1:]
	Posted(t, "reply", b, p11+"/comments/"+question+"/replies", url.Values{"comment": {"Yes, from May."}})
	Posted(t, "edit", adv, p11+"/comments/"+question+"/edit", url.Values{"comment": {"@manager is this the May diagram?"}})
	Posted(t, "request changes", adv, p11+"/review", url.Values{"decision": {"changes"}, "comment": {"Attach the network diagram too."}, "question": {"architecture_diagram_url"}})
	threads, err := e.St.Threads(context.Background(), e.Manager.ID, MustID(t, base), "1.1")
	if err != nil || len(threads) != 2 {
		t.Fatalf("threads = %+v, %v", threads, err)
	}
	// The manager gives the request and a checkpoint of 2.1 an owner; the
	// request's stays set once it is resolved.
	Posted(t, "own the request", b, base+"/actions", url.Values{"item": {"thread:" + Itoa(threads[1].ID)}, "owner": {"Infrastructure team"}, "due": {"2027-03-31"}})
	Posted(t, "own a checkpoint", b, base+"/actions", url.Values{"item": {"checkpoint:hosting_option_chosen"}, "owner": {"Amina (hosting provider)"}})
	Posted(t, "resolve", b, p11+"/comments/"+Itoa(threads[1].ID)+"/resolve", url.Values{})
	Posted(t, "submit again", b, p11+"/submit", url.Values{})
	Posted(t, "approve", adv, p11+"/review", url.Values{"decision": {"approve"}, "comment": {"Clear and complete."}})
	return adv
}
