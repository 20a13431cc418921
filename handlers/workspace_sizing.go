package handlers

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/assessment/advice"
	"groundwork/assessment/sizing"
	"groundwork/web"
)

// sizingView is the inline sizing panel of a phase whose questions feed
// the sizing engine, or nil for other phases. The server-table phase
// compares what was entered with the recommendation. Editable says the
// person can change the answers on the page (the panel then follows them).
func sizingView(ws *workspace, p *assessment.Phase, editable bool) *web.SizingView {
	feeds, servers := false, false
	for _, q := range p.Questions {
		switch q.Sizing {
		case "", assessment.SizingProjectStage: // the stage alone is no sizing input to show beside
		case assessment.SizingServers:
			servers = true
		default:
			feeds = true
		}
	}
	if !feeds && !servers {
		return nil
	}
	adv := advice.For(ws.template, ws.input.Answers)
	var s *web.SizingView
	switch ws.template.Platform {
	case assessment.PlatformCommCare:
		s = commcareSizing(adv, feeds)
	case assessment.PlatformOpenCRVS:
		s = opencrvsSizing(adv, feeds)
	default:
		return nil
	}
	if feeds && !editable { // locked, approved or read only: nothing here changes as one types
		s.Intro = capitalize(strings.TrimPrefix(s.Intro, liveIntro)) + "."
	}
	s.Missing = adv.Missing
	if servers {
		compareServers(s, adv)
		if adv.Servers == nil {
			s.Note = "Enter the servers below to compare them with the recommendation."
		}
	}
	s.Link = web.Link{Text: "Open the sizing calculator", Href: "/sizing"}
	if q := url.Values(adv.Calculator); q != nil {
		// The same figures there, to try other numbers from.
		s.Link = web.Link{Text: "Try other numbers in the sizing calculator", Href: "/sizing?" + q.Encode() + "#" + q.Get("calc") + "-h"}
	}
	return s
}

// compareServers says whether the servers entered meet the
// recommendation, as procurement compares them.
func compareServers(s *web.SizingView, adv advice.Advice) {
	switch {
	case adv.Servers == nil:
	case len(adv.Servers.Warnings) > 0:
		s.Warnings = adv.Servers.Warnings
	case adv.Tier != nil || adv.OpenCRVS != nil:
		s.OK = fmt.Sprintf("✓ The %d servers entered meet the recommendation", adv.Servers.Entered)
		if adv.Servers.Entered == 1 {
			s.OK = "✓ The server entered meets the recommendation"
		}
		if adv.Tier != nil && adv.Model != nil {
			// CommCare's servers are compared with the tier; beside the
			// resource model's totals a bare "meet" reads as meeting those.
			s.OK += " of the tier, by users (the resource model's totals are not compared)"
		}
		s.OK += "."
	}
}

// liveIntro starts the panel's introduction on a page where the answers it
// follows are typed.
const liveIntro = "Updates as you answer: "

func commcareSizing(adv advice.Advice, inputsHere bool) *web.SizingView {
	s := &web.SizingView{Heading: "Sizing recommendation"}
	if inputsHere {
		s.Intro = liveIntro + "from the expected users, high availability and usage below."
	} else {
		s.Intro = "From the answers of phase 1.2 (system sizing)."
	}
	if t := adv.Tier; t != nil {
		tier := web.Fact{Label: "Tier", Value: fmt.Sprintf("%s: %s", t.Name, serversText(t.Servers, t.Tier == "large"))}
		each := web.Fact{Label: "Each server", Value: cmp.Or(perServerText(t.PerServer.VCPUs, t.PerServer.RAMGB, t.PerServer.DiskTB, t.PerServer.SSD), t.PerServer.Note)}
		s.Facts = append(s.Facts, web.Fact{Label: "Tier, by users (rule of thumb)", Value: tier.Value})
		s.Brief = append(s.Brief, tier)
		if each.Value != "" {
			s.Facts = append(s.Facts, each)
			s.Brief = append(s.Brief, each)
		}
		for _, r := range t.Reasons {
			s.Steps = append(s.Steps, web.Fact{Label: "Why", Value: r})
		}
	}
	if adv.ModelProblem != "" {
		s.Facts = append(s.Facts, web.Fact{Label: "Resource model", Value: "Cannot run on these answers: " + adv.ModelProblem})
		s.Brief = append(s.Brief, web.Fact{Label: "Resource model", Value: "Cannot run on these answers"})
	}
	if m := adv.Model; m != nil {
		var storage, exact []string
		for _, st := range m.Storage {
			name := storageGroupName(st.Group)
			storage = append(storage, fmt.Sprintf("%s %s %s", name, roundSize(st.Size), m.Unit))
			exact = append(exact, fmt.Sprintf("%s %s %s", name, num(st.Size), m.Unit))
		}
		s.Facts = append(s.Facts,
			web.Fact{Label: "Detailed estimate (resource model)", Value: fmt.Sprintf("For %s: %s users, %d virtual machines, %d cores, %s GB RAM in all",
				modelWhen(m.Date, adv.ModelEnd), num(float64(m.Users)), m.VMs, m.Cores, num(float64(m.RAMGB)))},
			web.Fact{Label: "Storage", Value: strings.Join(storage, ", "), Exact: strings.Join(exact, ", ")},
		)
		s.Brief = append(s.Brief, web.Fact{Label: "Resource model", Value: fmt.Sprintf("%d virtual machines, %d cores, %s GB RAM", m.VMs, m.Cores, num(float64(m.RAMGB)))})
		s.Note = "The model re-runs Dimagi's commcare_resource_model over its eCHIS service profile with your users and usage. It assumes that profile's per-form and per-case sizes (plus the attachment size you give), so treat it as a first estimate: it needs baseline usage from a running deployment to be accurate."
	}
	if adv.Tier != nil || adv.Model != nil {
		s.Explain = "Two figures, two questions. The tier is the guide's rule of thumb from the number of users alone " +
			"(commcare-cloud's hardware requirements): how many physical servers, and the least each needs. " +
			"The resource model is the detailed estimate from your usage: the virtual machines, cores, RAM and storage " +
			"the services need in all, which run on those servers (virtualization). " +
			"Procurement (phase 2.1) checks the servers entered against the tier: their number and each server's RAM, CPUs and disk. " +
			"Check their sum against the resource model's totals yourself."
	}
	return s
}

func opencrvsSizing(adv advice.Advice, inputsHere bool) *web.SizingView {
	s := &web.SizingView{Heading: "Disk and server recommendation"}
	if inputsHere {
		s.Intro = liveIntro + "OpenCRVS's own formula, every part shown."
	} else {
		s.Intro = "From the population, birth and death rates and attachments answered earlier."
	}
	if e := adv.OpenCRVS; e != nil {
		years := fmt.Sprintf("%d year%s of records", e.Years, plural(e.Years))
		if !adv.YearsAnswered {
			years += " (the default)"
		}
		stageName := map[string]string{sizing.ScaleNational: "National scale", sizing.ScalePilot: "Pilot", sizing.ScaleProofOfConcept: "Proof-of-concept"}[e.Scale]
		stage := stageName
		if !adv.StageAnswered {
			stage += " (assumed until phase 1.2 says which kind of implementation this is)"
		}
		s.Facts = append(s.Facts,
			web.Fact{Label: "Implementation stage", Value: stage},
			web.Fact{Label: "Records per year", Value: num(math.Round(e.RecordsPerYear)), Exact: num(e.RecordsPerYear)},
		)
		if e.HasDataServers() {
			s.Facts = append(s.Facts,
				web.Fact{Label: "Application server disk", Value: roundSize(e.AppDiskGB) + " GB on each production and staging server, for " + years, Exact: num(e.AppDiskGB) + " GB"},
				web.Fact{Label: "Backup server disk", Value: roundSize(e.BackupDiskGB) + " GB", Exact: num(e.BackupDiskGB) + " GB"},
				web.Fact{Label: "Production servers", Value: strconv.Itoa(e.ProductionServers)},
			)
		} else {
			// A proof of concept has none of the servers the formula
			// sizes: its figures say what a pilot would need, not what
			// to buy now.
			disk := "the qa server's"
			for _, env := range e.Environments {
				if env.Name == "qa" {
					disk = roundSize(env.DiskGB) + " GB on the qa server"
				}
			}
			s.Facts = append(s.Facts,
				web.Fact{Label: "Disk", Value: disk + ": a proof of concept captures no live citizen data"},
				web.Fact{Label: "From a pilot on", Value: roundSize(e.AppDiskGB) + " GB on each production and staging server and " + roundSize(e.BackupDiskGB) + " GB of backup, for " + years,
					Exact: num(e.AppDiskGB) + " GB and " + num(e.BackupDiskGB) + " GB"},
			)
		}
		var envs []string
		for _, env := range e.Environments {
			envs = append(envs, fmt.Sprintf("%s × %d (%d GB RAM, %d CPUs, %s GB disk)", env.Name, env.Count, env.RAMGB, env.CPUs, roundSize(env.DiskGB)))
		}
		s.Facts = append(s.Facts, web.Fact{Label: "Servers", Value: strings.Join(envs, "; "), Lines: envs})
		brief := stageName
		if !adv.StageAnswered {
			brief += " (assumed)"
		}
		s.Brief = []web.Fact{{Label: "Stage", Value: brief}, {Label: "Servers", Value: strings.Join(envs, "; "), Lines: envs}}
		// Why these servers: the rule of the stage, then the disk's formula.
		s.Why = e.ScaleNotes()
		for _, st := range e.Breakdown {
			label := crvsStepLabels[st.Name]
			if label == "" {
				label = strings.ReplaceAll(st.Name, "_", " ")
			}
			s.Steps = append(s.Steps, web.Fact{Label: label, Value: st.Formula})
		}
	}
	return s
}

// modelWhen says the month the resource model's estimate is for ("2027-12"
// as "December 2027"), and why that month.
func modelWhen(month, why string) string {
	if t, err := time.Parse("2006-01", month); err == nil {
		month = t.Format("January 2006")
	}
	if why != "" {
		month += ", " + why
	}
	return month
}

func serversText(n int, orMore bool) string {
	if orMore {
		return fmt.Sprintf("more than %d servers", n-1)
	}
	return fmt.Sprintf("%d server%s", n, plural(n))
}

func perServerText(vcpus, ramGB int, diskTB float64, ssd bool) string {
	var parts []string
	if vcpus > 0 {
		parts = append(parts, fmt.Sprintf("about %d vCPUs", vcpus))
	}
	if ramGB > 0 {
		parts = append(parts, fmt.Sprintf("at least %d GB RAM", ramGB))
	}
	if diskTB > 0 {
		disk := num(diskTB) + " TB"
		if ssd {
			disk += " SSD"
		}
		parts = append(parts, disk)
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
