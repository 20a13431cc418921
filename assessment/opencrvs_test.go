package assessment

import (
	"reflect"
	"testing"
)

func TestOpenCRVSPhases(t *testing.T) {
	want := map[int][]string{
		2: {
			"1.1 Data center", "1.2 Server environments", "1.3 VPN and bastion / jump server",
			"1.4 Server specifications and disk sizing", "1.5 Server cluster size", "1.6 SSH access and hardening",
			"1.7 User access", "1.8 Egress (outbound) internet access", "1.9 Email (SMTP) server",
			"1.10 Third-party subscriptions", "2.1 Github environments and secrets",
			"2.2 Provision server clusters with Ansible", "2.3 Configure DNS", "2.4 Continuous deployment",
			"2.5 Seed reference data",
		},
		1: {
			"1.1 Data center", "1.2 Server environments", "1.3 VPN and bastion / jump server",
			"1.4 Server specifications", "1.5 Server cluster size", "1.6 SSH access and hardening",
			"1.7 User access", "1.8 Egress (outbound) internet access", "1.9 Email (SMTP) server",
			"2.1 Github environments and secrets", "2.2 Provision server clusters with Ansible",
			"2.3 Configure DNS", "2.4 Continuous deployment", "2.5 Seed reference data",
		},
	}
	for version, titles := range want {
		tpl := mustTemplate(t, "opencrvs-server-hosted", version)
		var got []string
		for _, p := range tpl.Phases {
			got = append(got, p.Key+" "+p.Title)
			if p.Optional {
				t.Errorf("v%d phase %s is optional", version, p.Key)
			}
			if len(p.Checkpoints) == 0 {
				t.Errorf("v%d phase %s has no checkpoint", version, p.Key)
			}
		}
		if !reflect.DeepEqual(got, titles) {
			t.Errorf("v%d phases:\n got %q\nwant %q", version, got, titles)
		}
		// The page has no checkpoints: each one is derived and says from what.
		for _, c := range tpl.Checkpoints() {
			if c.Origin != OriginDerived || c.Note == "" || !c.Blocking {
				t.Errorf("v%d checkpoint %q: origin %s, note %q, blocking %v", version, c.Key, c.Origin, c.Note, c.Blocking)
			}
		}
	}
}

func TestOpenCRVSSizingInputs(t *testing.T) {
	tpl := opencrvs(t)
	want := map[SizingInput]string{
		SizingPopulation:           "population",
		SizingBirthRate:            "crude_birth_rate",
		SizingDeathRate:            "crude_death_rate",
		SizingAttachmentsPerRecord: "attachments_per_record",
		SizingProductionServers:    "production_servers",
		SizingServers:              "servers",
	}
	for in, key := range want {
		if q, ok := tpl.SizingQuestion(in); !ok || q.Key != key {
			t.Errorf("sizing input %s: got %v, want %q", in, q, key)
		}
	}
	if st, ok := tpl.ServerTable(); !ok || st.PhaseKey() != "1.4" {
		t.Errorf("ServerTable() = %v, %v", st, ok)
	}
}

// TestVersionPinning evaluates the same answers against both OpenCRVS
// versions: an assessment pinned to version 1 keeps version 1's rules.
func TestVersionPinning(t *testing.T) {
	v1 := mustTemplate(t, "opencrvs-server-hosted", 1)
	v2 := opencrvs(t)
	answers := map[string]Value{
		"ubuntu_version":     text("22.04"),
		"project_stage":      text("national"),
		"population":         text("800000"),
		"production_servers": text("1"),
	}
	r1, r2 := v1.Evaluate(Input{Answers: answers}), v2.Evaluate(Input{Answers: answers})
	p1, _ := r1.Phase("1.4")
	p2, _ := r2.Phase("1.4")
	if len(p1.Warnings) != 0 || !hasKey(p2.Warnings, "opencrvs-ubuntu-2204") {
		t.Errorf("Ubuntu 22.04: v1 warnings %v (want none), v2 warnings %v (want opencrvs-ubuntu-2204)", issueKeys(p1.Warnings), issueKeys(p2.Warnings))
	}
	// Below 1M a single production server was the older recommendation;
	// version 2 asks for an explicit waiver.
	c1, _ := r1.Phase("1.5")
	c2, _ := r2.Phase("1.5")
	if hasKey(c1.Blockers, "single_node_waiver") || !hasKey(c2.Blockers, "single_node_waiver") {
		t.Errorf("single server: v1 blockers %v, v2 blockers %v", issueKeys(c1.Blockers), issueKeys(c2.Blockers))
	}
	if _, ok := v1.Phase("1.10"); ok {
		t.Errorf("version 1 has the subscriptions phase of version 2")
	}
}

// A proof of concept runs on one qa server with no citizen data: phase 1.4
// does not ask for the disks of production, staging and backup servers it
// does not have, which a pilot must give.
func TestProofOfConceptAsksNoProductionDisks(t *testing.T) {
	tpl, base := fullOpenCRVS(t)
	for _, stage := range []string{"poc", "pilot"} {
		in := with(base, map[string]Value{"project_stage": text(stage), "environments": {List: []string{"qa", "production", "staging", "backup"}},
			"app_disk_gb": {}, "backup_disk_gb": {}})
		if stage == "poc" {
			in.Answers["environments"] = Value{List: []string{"qa"}}
		}
		res := tpl.Evaluate(in)
		pr, _ := res.Phase("1.4")
		asked := hasKey(pr.Blockers, "app_disk_gb") && hasKey(pr.Blockers, "backup_disk_gb")
		if asked != (stage == "pilot") {
			t.Errorf("%s: the disks are asked %v: %v", stage, asked, issueKeys(pr.Blockers))
		}
		if visible := res.Visible("app_disk_gb"); visible != (stage == "pilot") {
			t.Errorf("%s: the application disk question is shown %v", stage, visible)
		}
	}
}
