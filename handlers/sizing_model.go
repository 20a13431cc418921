package handlers

import (
	"net/http"

	"groundwork/assessment/sizing"
	"groundwork/web"
)

// sizingModelForm shows the form for a full resource-model config;
// ?example=echis fills in Dimagi's eCHIS config to start from.
func (h *handler) sizingModelForm(w http.ResponseWriter, r *http.Request) error {
	form := web.Form{Values: map[string]string{}}
	if r.URL.Query().Get("example") == "echis" {
		form.Values["config"] = string(sizing.DefaultProfile())
	}
	return h.renderSizingModel(w, r, http.StatusOK, web.ModelPageView{Form: form})
}

// sizingModel runs a pasted config and shows its tables, or sends them as a
// CSV or XLSX file when a download button was pressed.
func (h *handler) sizingModel(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return readError(err)
	}
	config := r.PostFormValue("config")
	form := web.Form{Values: map[string]string{"config": config}, Order: []string{"config"}}
	cfg, err := parseModelConfig([]byte(config))
	var res *sizing.Result
	if err == nil {
		res, err = sizing.RunParsed(cfg, []byte(config))
	}
	if err != nil {
		fe, ok := sizing.AsFieldError(err)
		if !ok {
			return err
		}
		msg := "The config " + fe.Problem + "."
		if fe.Field != "config" && fe.Field != "" {
			msg = "The config has a problem at " + fe.Field + ": " + fe.Problem + "."
		}
		form.Errors = map[string]string{"config": msg}
		return h.renderSizingModel(w, r, http.StatusUnprocessableEntity, web.ModelPageView{Form: form, Status: "There is a problem. " + msg})
	}
	if f := r.PostFormValue("format"); f == "csv" || f == "xlsx" {
		return writeModel(w, res, f, "commcare-resource-model")
	}
	return h.renderSizingModel(w, r, http.StatusOK, web.ModelPageView{Form: form, Status: modelStatus(res), Result: modelView(res)})
}

func (h *handler) renderSizingModel(w http.ResponseWriter, r *http.Request, status int, v web.ModelPageView) error {
	return h.render(w, r, status, web.SizingModelPage(h.page(r, "Your own resource-model config", "sizing"), v))
}
