package handlers

import (
	"bytes"
	"html/template"
	"net/http"
)

// TEMPORARY, for the branch `pdf` only: the lead deletes this file at the
// merge, where helper "report"'s reportDocument (handlers/report.go)
// takes its place. It renders just enough of a standalone report (the
// organisation, the assessment and every phase title, each phase on a page
// of its own) for report.pdf and its tests to run on this branch.
func (h *handler) reportDocument(r *http.Request, standalone bool) (*workspace, []byte, error) {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return nil, nil, err
	}
	var phases []string
	for _, p := range ws.template.Phases {
		phases = append(phases, p.Title)
	}
	var buf bytes.Buffer
	err = tmpReport.Execute(&buf, map[string]any{
		"Org": ws.stored.OrganisationName, "Name": ws.stored.Name, "Template": ws.template.Title,
		"Score": ws.result.Score, "Phases": phases, "Standalone": standalone,
	})
	return ws, buf.Bytes(), err
}

var tmpReport = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Readiness report – {{.Org}} – {{.Name}}</title>
<style>
@page { size: A4; }
body { font: 11pt/1.45 system-ui, sans-serif; color: #1b1b1b; }
h1 { font-size: 24pt; margin: 3cm 0 .5cm; }
section { break-before: page; }
</style></head>
<body>
<header><p>{{.Org}}</p><h1>{{.Name}}</h1><p>{{.Template}} · readiness {{.Score}} %</p></header>
{{range .Phases}}<section><h2>{{.}}</h2><p>The phase's answers, checkpoints and evidence come here.</p></section>
{{end}}</body></html>
`))
