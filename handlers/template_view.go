package handlers

import (
	"strconv"
	"strings"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// tplHref is the page of a template version: the bare address for the
// latest, ?version=N for an older one.
func tplHref(t, latest *assessment.Template) string {
	if t == latest {
		return "/templates/" + t.ID
	}
	return "/templates/" + t.ID + "?version=" + strconv.Itoa(t.Version)
}

// tplCard summarises a template version for the listing.
func tplCard(t, latest *assessment.Template) web.TemplateCard {
	c := web.TemplateCard{
		ID: t.ID, Title: t.Title, Description: t.Description, PlatformLabel: store.PlatformLabel(string(t.Platform)),
		Version: t.Version, Latest: t == latest, LatestVersion: latest.Version,
		Href:    tplHref(t, latest),
		APIHref: "/api/v1/templates/" + t.ID + "?version=" + strconv.Itoa(t.Version),
		Phases:  len(t.Phases), Questions: len(t.Questions()), Checkpoints: len(t.Checkpoints()),
	}
	for _, p := range t.Phases {
		if p.Optional {
			c.Optional++
		}
	}
	return c
}

// tplView converts a whole template version for its page.
func tplView(cat *assessment.Catalog, t, latest *assessment.Template) web.TemplateView {
	v := web.TemplateView{
		TemplateCard: tplCard(t, latest),
		LatestHref:   tplHref(latest, latest),
		Source:       web.TemplateLink{Title: t.Source.Title, URL: t.Source.URL},
	}
	for _, other := range cat.Templates() {
		if other.ID == t.ID && other != t {
			v.OtherVersions = append(v.OtherVersions, web.TemplateVersion{Version: other.Version, Href: tplHref(other, latest), Latest: other == latest})
		}
	}
	for _, q := range t.Questions() {
		if q.Required {
			v.Required++
		}
	}
	for _, c := range t.Checkpoints() {
		if c.Origin == assessment.OriginDerived {
			v.Derived++
		} else {
			v.FromSource++
		}
		if c.Blocking {
			v.Blocking++
		}
	}
	v.PhaseList = make([]web.TemplatePhase, len(t.Phases))
	for i, p := range t.Phases {
		v.PhaseList[i] = tplPhaseView(t, p)
	}
	return v
}

// tplPhaseAnchor is a phase's element id: "1.1" becomes "phase-1-1", which
// needs no escaping in CSS selectors.
func tplPhaseAnchor(key string) string { return "phase-" + strings.ReplaceAll(key, ".", "-") }

func tplPhaseView(t *assessment.Template, p *assessment.Phase) web.TemplatePhase {
	v := web.TemplatePhase{
		Key: p.Key, Anchor: tplPhaseAnchor(p.Key), Title: p.Title, Intro: p.Intro, Optional: p.Optional,
		Guidance: p.Guidance.Text,
	}
	for _, l := range p.Guidance.Links {
		v.Links = append(v.Links, web.TemplateLink{Title: l.Title, URL: l.URL})
	}
	for _, q := range p.Questions {
		v.Questions = append(v.Questions, tplQuestionView(t, q))
	}
	for _, rule := range p.Rules {
		v.Checks = append(v.Checks, web.TemplateCheck{Blocks: rule.Severity == assessment.SeverityBlock, Message: tplSentence(rule.Message)})
	}
	for _, c := range p.Checkpoints {
		v.Checkpoints = append(v.Checkpoints, web.TemplateCheckpoint{
			Anchor: "checkpoint-" + c.Key, Text: c.Text, Link: c.Link,
			Blocking: c.Blocking, Derived: c.Origin == assessment.OriginDerived, Source: c.Source,
		})
	}
	return v
}

func tplQuestionView(t *assessment.Template, q *assessment.Question) web.TemplateQuestion {
	v := web.TemplateQuestion{
		Anchor: "question-" + q.Key, Prompt: q.Prompt, TypeLabel: tplTypeLabel(q.Type, q.Integer),
		Required: q.Required, Help: q.Help, HelpURL: q.HelpURL,
		Facts: tplConstraintFacts(q.Type, &q.Constraints), Choices: tplChoiceLabels(q.Choices),
	}
	if q.Guide != "" && tplNormalise(q.Guide) != tplNormalise(q.Prompt) {
		v.Guide = q.Guide
	}
	switch q.Type {
	case assessment.TypePerson:
		if q.EmailRequired {
			v.Facts = append(v.Facts, "Name, job function and e-mail address, all required")
		} else {
			v.Facts = append(v.Facts, "Name, job function and, optionally, e-mail address")
		}
	case assessment.TypeTable:
		if q.MinRows > 0 {
			v.Facts = append(v.Facts, "At least "+tplPlural(q.MinRows, "row", "rows"))
		}
		if q.MaxRows > 0 {
			v.Facts = append(v.Facts, "At most "+tplPlural(q.MaxRows, "row", "rows"))
		}
	}
	if q.Sizing != "" {
		v.Facts = append(v.Facts, "Used for sizing")
	}
	for _, c := range q.Columns {
		v.Columns = append(v.Columns, web.TemplateColumn{
			Label: c.Label, TypeLabel: strings.ToLower(tplTypeLabel(c.Type, c.Integer)), Required: c.Required, Help: c.Help,
			Facts: tplLowerFirst(tplConstraintFacts(c.Type, &c.Constraints)), Choices: tplChoiceLabels(c.Choices),
		})
	}
	if len(q.ShowIf) > 0 {
		parts := make([]string, len(q.ShowIf))
		for i, c := range q.ShowIf {
			parts[i] = tplConditionText(t, c)
		}
		v.ShownWhen = "Asked only when " + strings.Join(parts, " and ") + "."
	}
	return v
}
