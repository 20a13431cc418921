package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"groundwork/web"
)

// sizingPage shows the sizing calculator. A query from one of its forms
// (calc=tier, simple or opencrvs, as a form submitted without JavaScript
// sends) fills that form and its result; the others show example figures.
func (h *handler) sizingPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	calc := q.Get("calc")
	v := web.SizingCalcView{BaseURL: strings.TrimSuffix(h.opts.BaseURL.String(), "/")}
	var err error
	pick := func(name string) url.Values {
		if calc == name {
			return q
		}
		return nil
	}
	if v.Tier, err = tierCalc(orDefault(pick("tier"), tierExample)); err != nil {
		return err
	}
	if v.Simple, err = simpleCalc(orDefault(pick("simple"), simpleExample(time.Now()))); err != nil {
		return err
	}
	if v.OpenCRVS, err = crvsCalc(orDefault(pick("opencrvs"), crvsExample)); err != nil {
		return err
	}
	status := http.StatusOK
	if v.Tier.Form.HasErrors() || v.Simple.Form.HasErrors() || v.OpenCRVS.Form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, web.SizingPage(h.page(r, "Sizing calculator", "sizing"), v))
}

func orDefault(q, example url.Values) url.Values {
	if q == nil {
		return example
	}
	return q
}

// The fragment endpoints answer the live forms with the result alone. They
// answer 200 even for a refused form, because the refusal is the result to
// show (htmx swaps only successful responses). A request that is not htmx's
// is sent to the page, which shows the same with its frame.

func (h *handler) sizingTierResults(w http.ResponseWriter, r *http.Request) error {
	if toPage(w, r, "tier") {
		return nil
	}
	c, err := tierCalc(r.URL.Query())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, web.TierFragment(c))
}

func (h *handler) sizingSimpleResults(w http.ResponseWriter, r *http.Request) error {
	if toPage(w, r, "simple") {
		return nil
	}
	c, err := simpleCalc(r.URL.Query())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, web.SimpleFragment(c))
}

func (h *handler) sizingCRVSResults(w http.ResponseWriter, r *http.Request) error {
	if toPage(w, r, "opencrvs") {
		return nil
	}
	c, err := crvsCalc(r.URL.Query())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, web.CRVSFragment(c))
}

// toPage redirects a request that did not come from htmx to the page, and
// reports whether it did.
func toPage(w http.ResponseWriter, r *http.Request, calc string) bool {
	w.Header().Add("Vary", "HX-Request")
	if r.Header.Get("HX-Request") == "true" {
		return false
	}
	q := r.URL.Query()
	q.Set("calc", calc)
	http.Redirect(w, r, "/sizing?"+q.Encode()+"#"+calc+"-h", http.StatusSeeOther)
	return true
}
