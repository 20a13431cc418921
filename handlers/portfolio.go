package handlers

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"groundwork/assessment"
	"groundwork/assessment/csvsafe"
	"groundwork/store"
	"groundwork/web"
)

// portfolioPage is how many assessments one page of the portfolio shows.
const portfolioPage = 50

// portfolioQuery is what a portfolio request asks for: one template's
// assessments (every version), perhaps of one organisation, in an order.
type portfolioQuery struct {
	template string // a template id
	org      string // an organisation id among orgs, or ""
	orgs     []web.Option
	sort     store.Sort
	reverse  bool // the other way than the sort's natural order
	page     int
}

// listOptions is the store's form of the query, for one page.
func (pq portfolioQuery) listOptions() store.ListOptions {
	o := store.ListOptions{TemplateID: pq.template, Sort: pq.sort, Reverse: pq.reverse, Limit: portfolioPage, Offset: (pq.page - 1) * portfolioPage}
	o.OrganisationID, _ = chosenOrg(pq.org, pq.orgs)
	return o
}

// values are the query's parameters, without the page, for the order
// given: by default the most recently active first.
func (pq portfolioQuery) values(sort store.Sort, reverse bool) url.Values {
	v := url.Values{"template": {pq.template}}
	if pq.org != "" {
		v.Set("org", pq.org)
	}
	if sort != store.SortActivity {
		v.Set("sort", string(sort))
	}
	if reverse {
		v.Set("dir", direction(sort, reverse))
	}
	return v
}

// direction is the dir parameter of an order: "asc" or "desc".
func direction(sort store.Sort, reverse bool) string {
	if sort.Descending(reverse) {
		return "desc"
	}
	return "asc"
}

// readPortfolioQuery reads the query parameters; the template defaults to
// the one of the user's most recently active assessment.
func (h *handler) readPortfolioQuery(r *http.Request) (portfolioQuery, error) {
	q := r.URL.Query()
	pq := portfolioQuery{sort: store.SortActivity, page: pageNumber(q)}
	switch s := store.Sort(q.Get("sort")); s {
	case store.SortName, store.SortOrganisation, store.SortReadiness:
		pq.sort = s
	}
	if dir := q.Get("dir"); dir == "asc" || dir == "desc" {
		pq.reverse = (dir == "desc") != pq.sort.Descending(false)
	}
	orgs, _, err := h.orgOptions(r)
	if err != nil {
		return pq, err
	}
	pq.orgs = orgs
	if _, ok := chosenOrg(q.Get("org"), orgs); ok {
		pq.org = q.Get("org")
	}
	families := h.templateFamilies()
	if id := q.Get("template"); slices.Contains(families, id) {
		pq.template = id
		return pq, nil
	}
	recent, _, err := h.store.Assessments(r.Context(), userFrom(r.Context()).ID, store.ListOptions{Limit: 1})
	if err != nil {
		return pq, err
	}
	if len(recent) > 0 && slices.Contains(families, recent[0].TemplateID) {
		pq.template = recent[0].TemplateID
	} else if len(families) > 0 {
		pq.template = families[0]
	}
	return pq, nil
}

// portfolio shows one template's assessments as a heat map of phase
// statuses, with readiness and last activity, sortable and paginated.
func (h *handler) portfolio(w http.ResponseWriter, r *http.Request) error {
	pq, err := h.readPortfolioQuery(r)
	if err != nil {
		return err
	}
	list, more, err := h.listAssessments(r, pq.listOptions())
	if err != nil {
		return err
	}
	latest, _ := h.catalog.Latest(pq.template)
	v := web.PortfolioView{
		Template: latest.Title, TemplateID: pq.template, Phases: h.phaseColumns(pq.template),
		Org: pq.org, Orgs: pq.orgs, Filtered: pq.org != "",
		Sort: string(pq.sort), Dir: direction(pq.sort, pq.reverse),
		CSVHref: "/portfolio.csv?" + pq.values(pq.sort, pq.reverse).Encode(),
	}
	for _, t := range h.catalog.Templates() {
		v.Versions = v.Versions || (t.ID == pq.template && t != latest)
	}
	for _, id := range h.templateFamilies() {
		t, _ := h.catalog.Latest(id)
		tab := pq
		tab.template = id
		v.Tabs = append(v.Tabs, web.Tab{Text: t.Title, Href: "/portfolio?" + tab.values(pq.sort, pq.reverse).Encode(), Current: id == pq.template})
	}
	sortLink := func(s store.Sort) web.SortLink {
		id := "sort-" + string(s)
		if s != pq.sort {
			return web.SortLink{ID: id, Href: "/portfolio?" + pq.values(s, false).Encode() + "#" + id}
		}
		l := web.SortLink{ID: id, Href: "/portfolio?" + pq.values(s, !pq.reverse).Encode() + "#" + id, Order: "ascending"}
		if s.Descending(pq.reverse) {
			l.Order = "descending"
		}
		return l
	}
	v.NameSort, v.OrgSort, v.ReadinessSort, v.ActivitySort = sortLink(store.SortName), sortLink(store.SortOrganisation),
		sortLink(store.SortReadiness), sortLink(store.SortActivity)
	for _, l := range list {
		row := web.PortfolioRow{Href: "/assessments/" + itoa(l.ID), Name: l.Name, OrgName: l.OrganisationName, Version: l.TemplateVersion,
			Score: l.progress.Score, LastActivity: web.StampOf(l.UpdatedAt), Cells: portfolioCells(l.progress, v.Phases)}
		for i := range row.Cells { // each opens its phase
			row.Cells[i].Phase, row.Cells[i].Href = v.Phases[i].Key, row.Href+"/phases/"+v.Phases[i].Key
		}
		v.Rows = append(v.Rows, row)
	}
	u := *r.URL
	u.RawQuery = pq.values(pq.sort, pq.reverse).Encode()
	v.Pager = pagerFor(&u, pq.page, more)
	return h.render(w, r, http.StatusOK, web.PortfolioPage(h.page(r, "Portfolio", "portfolio"), v))
}

// portfolioCells are an assessment's phase statuses under the columns.
func portfolioCells(p assessment.Progress, cols []web.PhaseColumn) []web.HeatCell {
	cells := make([]web.HeatCell, len(cols))
	for i, col := range cols {
		pr, ok := p.Phase(col.Key)
		if !ok {
			cells[i].Missing = true
			continue
		}
		cells[i].Status = statusView(pr.Status)
		if pr.Status == assessment.StatusSubmitted {
			cells[i].Status.Label = "Submitted"
		}
	}
	return cells
}

// portfolioCSV is the portfolio's table as CSV: every assessment the
// query chooses, not only one page, read a page at a time.
func (h *handler) portfolioCSV(w http.ResponseWriter, r *http.Request) error {
	pq, err := h.readPortfolioQuery(r)
	if err != nil {
		return err
	}
	cols := h.phaseColumns(pq.template)
	t := csvsafe.Text
	head := []string{"Assessment", "Organisation", "Template version"}
	for _, c := range cols {
		head = append(head, t(c.Key+" "+c.Title))
	}
	head = append(head, "Readiness (%)", "Last activity (UTC)")
	opts := pq.listOptions()
	opts.Offset, opts.Limit = 0, store.MaxPage
	return sendFile(w, "text/csv; charset=utf-8", "portfolio-"+pq.template+".csv", func(out io.Writer) error {
		cw := csv.NewWriter(out)
		if err := cw.Write(head); err != nil {
			return err
		}
		for {
			list, more, err := h.listAssessments(r, opts)
			if err != nil {
				return err
			}
			for _, l := range list {
				rec := []string{t(l.Name), t(l.OrganisationName), strconv.Itoa(l.TemplateVersion)}
				for _, c := range portfolioCells(l.progress, cols) {
					if c.Missing {
						rec = append(rec, "")
					} else {
						rec = append(rec, t(c.Status.Label))
					}
				}
				rec = append(rec, strconv.Itoa(l.progress.Score), l.UpdatedAt.UTC().Format(time.RFC3339))
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
			if !more {
				break
			}
			opts.Offset += opts.Limit
		}
		cw.Flush()
		return cw.Error()
	})
}

// templateFamilies lists the catalog's template ids, in its order.
func (h *handler) templateFamilies() []string {
	var ids []string
	for _, t := range h.catalog.Templates() {
		if !slices.Contains(ids, t.ID) {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

// phaseColumns are the phases of every version of template id: the latest
// version's, in its order, with any phase only older versions have after
// the phase it follows there.
func (h *handler) phaseColumns(id string) []web.PhaseColumn {
	latest, ok := h.catalog.Latest(id)
	if !ok {
		return nil
	}
	var cols []web.PhaseColumn
	for _, p := range latest.Phases {
		cols = append(cols, web.PhaseColumn{Key: p.Key, Title: p.Title})
	}
	for _, t := range h.catalog.Templates() {
		if t.ID != id || t == latest {
			continue
		}
		at := 0
		for _, p := range t.Phases {
			i := slices.IndexFunc(cols, func(c web.PhaseColumn) bool { return c.Key == p.Key })
			if i < 0 {
				cols = slices.Insert(cols, at, web.PhaseColumn{Key: p.Key, Title: fmt.Sprintf("%s (version %d)", p.Title, t.Version)})
				i = at
			}
			at = i + 1
		}
	}
	return cols
}
