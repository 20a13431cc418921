package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// queuePage is how many waiting phases one page of the queue shows.
const queuePage = 50

// reviewQueue lists the phases waiting in the organisations the advisor
// (or admin) sees, the longest waiting first, with filters by
// organisation, platform, phase, status and assessment name.
func (h *handler) reviewQueue(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	q := r.URL.Query()
	orgs, theirs, err := h.orgOptions(r)
	if err != nil {
		return err
	}
	v := web.QueueView{Orgs: orgs, Search: strings.TrimSpace(q.Get("q")), Statuses: []web.Option{
		{Value: "", Label: "Submitted"}, {Value: "changes_requested", Label: "Changes requested"}, {Value: "all", Label: "Both"},
	}}
	f := store.QueueFilter{Search: v.Search, Limit: queuePage}
	switch q.Get("status") {
	case "changes_requested":
		v.Status, f.States = "changes_requested", []assessment.ReviewState{assessment.ReviewChangesRequested}
	case "all":
		v.Status, f.States = "all", []assessment.ReviewState{assessment.ReviewSubmitted, assessment.ReviewChangesRequested}
	}
	if id, ok := chosenOrg(q.Get("org"), orgs); ok {
		v.Org, f.OrganisationID = q.Get("org"), id
	}
	for _, p := range h.platforms() {
		if !theirs[p] {
			continue // an advisor of OpenCRVS moves only is offered no CommCare filter
		}
		v.Platforms = append(v.Platforms, web.Option{Value: string(p), Label: platformLabel(p)})
		if q.Get("platform") == string(p) {
			v.Platform = string(p)
			f.TemplateIDs = h.templateIDs(p)
		}
	}
	v.Phases = h.phaseOptions(theirs)
	if tpl, phase, ok := strings.Cut(q.Get("phase"), ":"); ok && h.hasPhase(tpl, phase) {
		v.Phase, f.TemplateID, f.Phase = q.Get("phase"), tpl, phase
	}
	page := pageNumber(q)
	f.Offset = (page - 1) * queuePage
	list, more, err := h.store.ReviewQueue(r.Context(), u.ID, f)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, it := range list {
		row := web.QueueRow{
			Href:       fmt.Sprintf("/assessments/%d/phases/%s", it.AssessmentID, it.Phase),
			Assessment: it.AssessmentName, Phase: it.Phase, OrgName: it.OrganisationName, OrgHref: "/orgs/" + it.OrganisationSlug,
			Status: statusView(assessment.Status(it.State)), Since: web.StampOf(it.Since), Waited: web.Waited(it.Since, now),
			SentBack: it.SentBack && it.State == assessment.ReviewSubmitted,
		}
		if tpl, ok := h.catalog.Template(it.TemplateID, it.TemplateVersion); ok {
			row.Template = fmt.Sprintf("%s, version %d", tpl.Title, tpl.Version)
			if p, ok := tpl.Phase(it.Phase); ok {
				row.Phase = p.Key + " " + p.Title
			}
		}
		v.Rows = append(v.Rows, row)
	}
	v.Filtered = v.Status != "" || v.Org != "" || v.Platform != "" || v.Phase != "" || v.Search != ""
	v.Pager = pagerFor(r.URL, page, more)
	return h.render(w, r, http.StatusOK, web.QueuePage(h.page(r, "Review queue", "review"), v))
}

// waitingLimit bounds the count of waiting phases in the header.
const waitingLimit = 100

// waiting is the number of phases waiting for review that the header
// shows an advisor or admin: "" for none or anyone else. The header must
// not cost a page its rendering: a failed count is logged and left out.
func (h *handler) waiting(r *http.Request, u *store.User) string {
	if u.Role != store.RoleAdvisor && u.Role != store.RoleAdmin {
		return ""
	}
	n, err := h.store.WaitingCount(r.Context(), u.ID, waitingLimit)
	switch {
	case err != nil:
		h.log.WarnContext(r.Context(), "counting the phases waiting for review", "err", err)
		return ""
	case n == 0:
		return ""
	case n >= waitingLimit:
		return strconv.Itoa(waitingLimit-1) + "+"
	}
	return strconv.Itoa(n)
}

// orgOptions lists the organisations the user sees, for a filter.
func (h *handler) orgOptions(r *http.Request) ([]web.Option, map[assessment.Platform]bool, error) {
	orgs, err := h.store.OrganisationNames(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return nil, nil, err
	}
	opts := make([]web.Option, len(orgs))
	platforms := map[assessment.Platform]bool{}
	for i, o := range orgs {
		opts[i] = web.Option{Value: itoa(o.ID), Label: o.Name}
		platforms[assessment.Platform(o.Platform)] = true
	}
	return opts, platforms, nil
}

// chosenOrg returns the organisation a filter names, if it is one of the
// options.
func chosenOrg(value string, orgs []web.Option) (int64, bool) {
	for _, o := range orgs {
		if o.Value == value {
			id, err := strconv.ParseInt(value, 10, 64)
			return id, err == nil
		}
	}
	return 0, false
}

// platforms lists the platforms of the catalog's templates, in order.
func (h *handler) platforms() []assessment.Platform {
	var out []assessment.Platform
	for _, t := range h.catalog.Templates() {
		if !containsPlatform(out, t.Platform) {
			out = append(out, t.Platform)
		}
	}
	return out
}

func containsPlatform(list []assessment.Platform, p assessment.Platform) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

func platformLabel(p assessment.Platform) string {
	switch p {
	case assessment.PlatformCommCare:
		return "CommCare HQ"
	case assessment.PlatformOpenCRVS:
		return "OpenCRVS"
	}
	return string(p)
}

// templateIDs lists the ids of the templates for a platform.
func (h *handler) templateIDs(p assessment.Platform) []string {
	var ids []string
	for _, t := range h.catalog.Templates() {
		if t.Platform == p && (len(ids) == 0 || ids[len(ids)-1] != t.ID) {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

// phaseOptions lists the phases of every template of the platforms given,
// grouped by template, as "template:phase" values: phase keys repeat
// across templates.
func (h *handler) phaseOptions(platforms map[assessment.Platform]bool) []web.OptionGroup {
	var groups []web.OptionGroup
	for _, id := range h.templateFamilies() {
		latest, _ := h.catalog.Latest(id)
		if !platforms[latest.Platform] {
			continue
		}
		g := web.OptionGroup{Label: latest.Title}
		for _, col := range h.phaseColumns(id) {
			g.Options = append(g.Options, web.Option{Value: id + ":" + col.Key, Label: col.Key + " " + col.Title})
		}
		groups = append(groups, g)
	}
	return groups
}

// hasPhase reports whether some version of template id has the phase.
func (h *handler) hasPhase(id, phase string) bool {
	for _, t := range h.catalog.Templates() {
		if _, ok := t.Phase(phase); ok && t.ID == id {
			return true
		}
	}
	return false
}

// pageNumber reads a list's page from ?page=, 1 when absent or wrong.
func pageNumber(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 100000)
}

// pagerFor links the pages either side of page of the list at u.
func pagerFor(u *url.URL, page int, more bool) web.Pager {
	pg := web.Pager{Page: page}
	at := func(n int) string {
		q := u.Query()
		if n == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return u.Path
		}
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		pg.Prev, pg.First = at(page-1), at(1)
	}
	if more {
		pg.Next = at(page + 1)
	}
	return pg
}
