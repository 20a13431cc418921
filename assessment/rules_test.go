package assessment

import (
	"strings"
	"testing"
)

// ruleCase changes a fully answered assessment and expects one rule to
// block, warn, or stay quiet (want "") in a phase.
type ruleCase struct {
	name    string
	changes map[string]Value
	phase   string
	rule    string
	want    string // "block", "warn" or ""
	row     int    // for a failing column rule, the row reported
}

func checkRules(t *testing.T, full func(testing.TB) (*Template, Input), tests []ruleCase) {
	t.Helper()
	tpl, base := full(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tpl.Evaluate(with(base, tt.changes))
			pr, ok := res.Phase(tt.phase)
			if !ok {
				t.Fatalf("no phase %s", tt.phase)
			}
			got := ""
			var issue *Issue
			for _, is := range pr.Blockers {
				if is.Rule == tt.rule {
					got, issue = "block", is
				}
			}
			for _, is := range pr.Warnings {
				if is.Rule == tt.rule {
					got, issue = "warn", is
				}
			}
			if got != tt.want {
				t.Fatalf("rule %s: got %q, want %q (blockers %v, warnings %v)", tt.rule, got, tt.want, issueKeys(pr.Blockers), issueKeys(pr.Warnings))
			}
			if got == "" {
				return
			}
			if issue.Row != tt.row || issue.Kind != IssueRule || issue.Phase != tt.phase || !strings.HasPrefix(issue.Message, tt.phase+": ") {
				t.Errorf("issue %+v: want row %d, kind rule, phase %s", issue, tt.row, tt.phase)
			}
			if got == "block" && pr.Complete {
				t.Errorf("phase %s complete despite a blocking rule", tt.phase)
			}
		})
	}
}

func TestCommCareRules(t *testing.T) {
	checkRules(t, fullCommCare, []ruleCase{
		{"UPS outlasts shutdown", map[string]Value{"ups_minutes": text("6"), "safe_shutdown_minutes": text("5")}, "2.2", "ups-outlasts-safe-shutdown", "", 0},
		{"UPS equal to shutdown", map[string]Value{"ups_minutes": text("5"), "safe_shutdown_minutes": text("5")}, "2.2", "ups-outlasts-safe-shutdown", "block", 0},
		{"UPS shorter than shutdown", map[string]Value{"ups_minutes": text("2.5"), "safe_shutdown_minutes": text("5")}, "2.2", "ups-outlasts-safe-shutdown", "block", 0},
		{"UPS not asked for the cloud", map[string]Value{"hosting_option": text("enterprise_cloud"), "ups_minutes": text("1"), "safe_shutdown_minutes": text("5")}, "2.2", "ups-outlasts-safe-shutdown", "", 0},
		{"UPS without shutdown time", map[string]Value{"ups_minutes": text("1"), "safe_shutdown_minutes": {}}, "2.2", "ups-outlasts-safe-shutdown", "", 0},
		{"HA with a single server", map[string]Value{"high_availability": text("yes"), "server_configuration": text("single_server"), "expected_users": text("1000")}, "1.2", "ha-rules-out-single-server", "block", 0},
		{"HA with a micro cluster", map[string]Value{"high_availability": text("yes")}, "1.2", "ha-rules-out-single-server", "", 0},
		{"single server without HA", map[string]Value{"server_configuration": text("single_server"), "expected_users": text("1000")}, "1.2", "ha-rules-out-single-server", "", 0},
		{"too many users for a single server", map[string]Value{"server_configuration": text("single_server"), "expected_users": text("1500")}, "1.2", "single-server-user-limit", "warn", 0},
		{"single server users within limit", map[string]Value{"server_configuration": text("single_server"), "expected_users": text("1499")}, "1.2", "single-server-user-limit", "", 0},
		{"too many users for a micro cluster", map[string]Value{"expected_users": text("4000")}, "1.2", "micro-cluster-user-limit", "warn", 0},
		{"timeline beyond the intended scale", map[string]Value{"expected_users": text("2000"), "scale_timeline": rows([]string{"2027-01-01", "800"}, []string{"2028-01-01", "6000"})}, "1.2", "timeline-within-intended-scale", "warn", 2},
		{"timeline up to the intended scale", map[string]Value{"expected_users": text("2000"), "scale_timeline": rows([]string{"2027-01-01", "800"}, []string{"2028-01-01", "2000"})}, "1.2", "timeline-within-intended-scale", "", 0},
		{"HA needs 2 servers", map[string]Value{"high_availability": text("yes"), "servers": rows([]string{"all", "16", "64", "4000", "ssd"})}, "2.1", "ha-needs-several-servers", "block", 0},
		{"HA with 2 servers", map[string]Value{"high_availability": text("yes")}, "2.1", "ha-needs-several-servers", "", 0},
		{"HDD warns on its row", map[string]Value{"servers": rows([]string{"web", "8", "32", "2000", "ssd"}, []string{"db", "8", "32", "2000", "hdd"})}, "2.1", "servers-use-ssd", "warn", 2},
		{"single server RAM", map[string]Value{"server_configuration": text("single_server"), "expected_users": text("1000"), "servers": rows([]string{"all", "8", "16", "2000", "ssd"})}, "2.1", "single-server-ram", "warn", 1},
		{"micro cluster RAM without HA", map[string]Value{"servers": rows([]string{"a", "8", "16", "1000", "ssd"}, []string{"b", "8", "8", "1000", "ssd"})}, "2.1", "micro-cluster-ram", "warn", 2},
		{"micro cluster RAM with HA", map[string]Value{"high_availability": text("yes"), "servers": rows([]string{"a", "8", "16", "1000", "ssd"}, []string{"b", "8", "32", "1000", "ssd"})}, "2.1", "micro-cluster-ha-ram", "warn", 1},
		{"two cost estimates", map[string]Value{"cost_estimates": rows([]string{"A", "100", "USD", ""}, []string{"B", "120", "USD", ""})}, "2.1", "several-cost-estimates", "warn", 0},
		{"slow download", map[string]Value{"download_mbps": text("100")}, "2.2", "download-speed-suggestion", "warn", 0},
		{"download at the suggestion", map[string]Value{"download_mbps": text("940")}, "2.2", "download-speed-suggestion", "", 0},
		{"CommCare on Ubuntu 24.04", map[string]Value{"ubuntu_version": text("24.04")}, "3.1", "commcare-ubuntu-2204", "block", 0},
		{"CommCare on Ubuntu 20.04", map[string]Value{"ubuntu_version": text("20.04")}, "3.1", "commcare-ubuntu-2204", "block", 0},
		{"port 5432 open", map[string]Value{"external_ports": rows([]string{"22", ""}, []string{"443", ""}, []string{"5432", "postgres"})}, "3.1", "external-ports-allowed", "block", 3},
		{"ports 22 80 443", nil, "3.1", "external-ports-allowed", "", 0},
		{"no livepatching", map[string]Value{"livepatch_service": text("none")}, "3.1", "livepatching-recommended", "warn", 0},
		{"peak below normal", map[string]Value{"peak_load_users": text("1000")}, "4.1", "peak-at-least-normal", "block", 0},
		{"peak equals normal", map[string]Value{"peak_load_users": text("1500")}, "4.1", "peak-at-least-normal", "", 0},
		{"BlobDB backups off", map[string]Value{"backup_types": {List: []string{"postgresql_plain", "couchdb", "offsite_copy"}}}, "4.3", "couchdb-blobdb-backups-on", "block", 0},
		{"no offsite copy", map[string]Value{"backup_types": {List: []string{"postgresql_plain", "couchdb", "blobdb"}}}, "4.3", "offsite-copy", "warn", 0},
		{"1 hour RPO with backups only", map[string]Value{"rpo_hours": text("1")}, "4.3", "short-rpo-needs-replication", "block", 0},
		{"1 hour RPO with replication", map[string]Value{"rpo_hours": text("1"), "replication_standby": text("yes")}, "4.3", "short-rpo-needs-replication", "", 0},
		{"24 hour RPO with backups only", map[string]Value{"rpo_hours": text("24")}, "4.3", "short-rpo-needs-replication", "", 0},
		{"downtime ends before it starts", map[string]Value{"downtime_end": text("2030-02-28")}, "5.1", "downtime-ends-after-start", "block", 0},
		{"one-day downtime", map[string]Value{"downtime_end": text("2030-03-01")}, "5.1", "downtime-ends-after-start", "", 0},
		{"deploy every 15 days", map[string]Value{"deploy_interval_days": text("15")}, "6.1", "deploy-every-two-weeks", "block", 0},
		{"deploy every 14 days", map[string]Value{"deploy_interval_days": text("14")}, "6.1", "deploy-every-two-weeks", "", 0},
		{"SLA slower than a business day", map[string]Value{"sla_first_response_days": text("2")}, "6.1", "sla-first-response", "warn", 0},
		{"urgent slower than average", map[string]Value{"changelog_turnaround_urgent_hours": text("73")}, "6.1", "urgent-faster-than-average", "warn", 0},
		{"urgent as slow as average", map[string]Value{"changelog_turnaround_urgent_hours": text("72")}, "6.1", "urgent-faster-than-average", "", 0},
		{"no production environment", map[string]Value{"environments": {List: []string{"development", "testing"}}}, "1.1", "production-environment-planned", "block", 0},
	})
}

func TestOpenCRVSRules(t *testing.T) {
	checkRules(t, fullOpenCRVS, []ruleCase{
		{"below 10 Mbps", map[string]Value{"internet_mbps": text("9.9")}, "1.1", "minimum-10-mbps", "block", 0},
		{"10 Mbps", map[string]Value{"internet_mbps": text("10")}, "1.1", "minimum-10-mbps", "", 0},
		{"below tier 2", map[string]Value{"datacenter_tier": text("below")}, "1.1", "tier-2-or-3", "block", 0},
		{"UPS shorter than shutdown", map[string]Value{"ups_minutes": text("4")}, "1.1", "ups-outlasts-safe-shutdown", "block", 0},
		{"pilot without backup", map[string]Value{"project_stage": text("pilot"), "environments": {List: []string{"production", "staging", "qa"}}}, "1.2", "citizen-data-environments", "block", 0},
		{"POC with qa only", map[string]Value{"project_stage": text("poc"), "environments": {List: []string{"qa"}}}, "1.2", "citizen-data-environments", "", 0},
		{"fewer than 7 backups", map[string]Value{"backups_kept": text("5"), "offline_copy_interval_days": text("5")}, "1.2", "backups-kept", "warn", 0},
		{"offline copy after rotation", map[string]Value{"offline_copy_interval_days": text("11")}, "1.2", "offline-copy-within-retention", "warn", 0},
		{"no government VPN", map[string]Value{"vpn_provided": text("no")}, "1.3", "country-provides-vpn", "block", 0},
		{"Wireguard warns", map[string]Value{"cd_connection": text("wireguard_action")}, "1.3", "wireguard-one-pipeline", "warn", 0},
		{"open jump server", map[string]Value{"cd_connection": text("bastion"), "jump_ssh_restricted": text("no")}, "1.3", "jump-ssh-restricted", "block", 0},
		{"OpenCRVS on Ubuntu 24.04", nil, "1.4", "opencrvs-ubuntu-2204", "", 0},
		{"OpenCRVS on Ubuntu 22.04 warns", map[string]Value{"ubuntu_version": text("22.04")}, "1.4", "opencrvs-ubuntu-2204", "warn", 0},
		{"OpenCRVS on Ubuntu 22.04 does not block", map[string]Value{"ubuntu_version": text("22.04")}, "1.4", "opencrvs-ubuntu", "", 0},
		{"OpenCRVS on another OS", map[string]Value{"ubuntu_version": text("other")}, "1.4", "opencrvs-ubuntu", "block", 0},
		{"ARM servers", map[string]Value{"cpu_architecture": text("arm64")}, "1.4", "x86-only", "block", 0},
		{"backup disk exactly twice", map[string]Value{"app_disk_gb": text("1012.47"), "backup_disk_gb": text("2024.94")}, "1.4", "backup-twice-app-disk", "", 0},
		{"backup disk below twice", map[string]Value{"app_disk_gb": text("1000"), "backup_disk_gb": text("1999")}, "1.4", "backup-twice-app-disk", "block", 0},
		{"small production server", map[string]Value{"servers": rows([]string{"qa", "4", "8", "320"}, []string{"production", "8", "8", "1000"}, []string{"backup", "2", "1", "2000"})}, "1.4", "production-staging-ram", "block", 2},
		{"small qa server is not a production rule", map[string]Value{"servers": rows([]string{"qa", "4", "8", "320"}, []string{"production", "8", "16", "1000"})}, "1.4", "production-staging-ram", "", 0},
		{"small qa server", map[string]Value{"servers": rows([]string{"production", "8", "16", "1000"}, []string{"qa", "4", "8", "320"})}, "1.4", "qa-development-ram", "block", 2},
		{"replica count 4", map[string]Value{"production_servers": text("4")}, "1.5", "replica-count", "block", 0},
		{"30M-60M with 2 servers", map[string]Value{"population": text("40000000")}, "1.5", "cluster-30m-60m", "block", 0},
		{"30M-60M with 3 servers", map[string]Value{"population": text("40000000"), "production_servers": text("3")}, "1.5", "cluster-30m-60m", "", 0},
		{"60M+ with 3 servers", map[string]Value{"population": text("60000000"), "production_servers": text("3")}, "1.5", "cluster-60m", "block", 0},
		{"60M+ with 5 servers", map[string]Value{"population": text("60000000"), "production_servers": text("5")}, "1.5", "cluster-60m", "", 0},
		{"national single node not waived", map[string]Value{"production_servers": text("1"), "single_node_waiver": text("no")}, "1.5", "single-node-waived", "block", 0},
		{"national single node waived", map[string]Value{"production_servers": text("1"), "single_node_waiver": text("yes")}, "1.5", "single-node-waived", "", 0},
		{"pilot single node needs no waiver", map[string]Value{"project_stage": text("pilot"), "production_servers": text("1"), "single_node_waiver": text("no")}, "1.5", "single-node-waived", "", 0},
		{"port 8080 open", map[string]Value{"external_ports": rows([]string{"22", ""}, []string{"8080", ""})}, "1.6", "external-ports-allowed", "block", 2},
		{"missing github.com", map[string]Value{"allowed_domains": {List: []string{"archive.ubuntu.com", "sentry.io"}}}, "1.8", "required-domains", "block", 0},
		{"no allowlisting", map[string]Value{"strict_allowlisting": text("no"), "allowed_domains": {List: []string{"sentry.io"}}}, "1.8", "required-domains", "", 0},
		{"Let's Encrypt without ACME", map[string]Value{"allowed_domains": {List: []string{"archive.ubuntu.com"}}}, "1.8", "letsencrypt-domain", "block", 0},
		{"purchased certificate without ACME", map[string]Value{"tls_method": text("purchased"), "certificate_expires_on": text("2031-01-01"), "allowed_domains": {List: []string{"archive.ubuntu.com"}}}, "1.8", "letsencrypt-domain", "", 0},
		{"port 465 without TLS", map[string]Value{"smtp_port": text("465"), "smtp_tls": text("no")}, "1.9", "port-465-tls", "block", 0},
		{"port 587 without TLS", map[string]Value{"smtp_port": text("587"), "smtp_tls": text("no")}, "1.9", "port-465-tls", "", 0},
		{"free GitHub plan", map[string]Value{"github_plan": text("free")}, "1.10", "github-team-plan", "block", 0},
		{"renewal 29 days after go-live", map[string]Value{"go_live_date": text("2030-01-01"), "subscriptions_renew_on": text("2030-01-30")}, "1.10", "subscriptions-after-go-live", "warn", 0},
		{"renewal 30 days after go-live", map[string]Value{"go_live_date": text("2030-01-01"), "subscriptions_renew_on": text("2030-01-31")}, "1.10", "subscriptions-after-go-live", "", 0},
		{"HTTP challenge behind the VPN", map[string]Value{"tls_method": text("letsencrypt_http")}, "2.3", "http-challenge-behind-vpn", "block", 0},
		{"seeded after a restore", map[string]Value{"seeded_after_restore": text("yes")}, "2.5", "never-seed-after-restore", "block", 0},
	})
}

// TestRulesSkipMissingAnswers: a rule never fires on a missing or invalid
// answer; those are reported as such instead.
func TestRulesSkipMissingAnswers(t *testing.T) {
	tpl, base := fullCommCare(t)
	res := tpl.Evaluate(with(base, map[string]Value{"ups_minutes": text("soon"), "safe_shutdown_minutes": text("5")}))
	pr, _ := res.Phase("2.2")
	if hasKey(pr.Blockers, "ups-outlasts-safe-shutdown") {
		t.Errorf("rule fired on an invalid answer")
	}
	if !hasKey(pr.Blockers, "ups_minutes") {
		t.Errorf("invalid answer not reported: %v", issueKeys(pr.Blockers))
	}
}
