package assessment

import (
	"strings"
	"testing"
)

// normalize collapses whitespace, as the catalog may only normalise
// whitespace, line breaks and bullets when transcribing the guide.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestCommCarePhases(t *testing.T) {
	tpl := commcare(t)
	want := []struct {
		key      string
		title    string
		optional bool
	}{
		{"1.1", "System assessment and design", false},
		{"1.2", "System sizing", false},
		{"2.1", "Hardware procurement", false},
		{"2.2", "Data center setup", false},
		{"2.3", "Personnel resourcing", false},
		{"2.4", "Create secure migration URL and DNS planning", false},
		{"3.1", "CommCare installation", false},
		{"3.2", "Link cloud-based test or development environments", true},
		{"3.3", "One-time migration of the CommCare application", true},
		{"4.1", "System load testing", false},
		{"4.2", "Configure monitoring and error logging", false},
		{"4.3", "Test backup and restore process", false},
		{"5.1", "Data migration of collected data", true},
		{"6.1", "Ongoing maintenance, support and SLA", false},
	}
	if len(tpl.Phases) != len(want) {
		t.Fatalf("got %d phases, want %d", len(tpl.Phases), len(want))
	}
	for i, w := range want {
		p := tpl.Phases[i]
		if p.Key != w.key || p.Title != w.title || p.Optional != w.optional {
			t.Errorf("phase %d: got %s %q optional=%v, want %s %q optional=%v", i, p.Key, p.Title, p.Optional, w.key, w.title, w.optional)
		}
	}
}

// guideCheckpoints are the 24 "Do not proceed to the next phase until"
// items of the guide, copied from the seed text (whitespace normalised,
// bullets dropped), with the phase each belongs to.
var guideCheckpoints = []struct{ phase, text string }{
	{"1.1", "System architecture diagram has been created including all planned environments and any systems with which CommCare will be integrated."},
	{"1.1", "Inventory of all mobile applications which will be hosted in the local environment, including current released version and number of mobile users has been documented."},
	{"1.2", "Intended scale of the system and timeline to achieve this has been documented."},
	{"1.2", "Server configuration has been finalized based on intended system scale and implementation phases. A sample system configuration diagram can be found here."},
	{"2.2", "The program has signed an agreement with an Enterprise / Local Cloud Service Provider OR has completed setup of an On-Premise Data Center"},
	{"2.3", "MSP Engineers are onboarded with the CommCare cloud deployment documentation prior to starting the system installation. Each member of the team has reviewed the prerequisites and has completed a quick install on a monolith server."},
	{"2.4", "A new version of the mobile application(s) have been deployed and released to all users including the Proxy URL."},
	{"3.1", "Applicable tests as defined in “Testing your new CommCare Environment” are passed"},
	{"3.1", "The system performs in real conditions."},
	{"3.2", "HQ Admin user verifies that CommCare Application configuration may be pushed from a cloud-based development / test environment to an on premise production environment"},
	{"3.3", "HQ Admin user verifies that the CommCare Application has been moved from the current to target project spaces"},
	{"3.3", "HQ Admin user verifies that the connection between the current and target project spaces has been severed"},
	{"4.1", "Applicable load and performance tests are run and the system is deemed performant. Sample output for performance tests using Locust may be found here."},
	{"4.2", "System health dashboards are configured. Either pre-set dashboards are imported if using DataDog or system health dashboards have been created if using an alternative tool. Dashboards include the indicators outlined on CommCare Infrastructure Metrics."},
	{"4.2", "Error logging has been configured using Sentry or alternative tools using the documentation provided."},
	{"4.2", "Standard Operating Procedure (SOP) for monitoring infrastructure performance is established."},
	{"4.3", "A full backup and restore is completed for the entire system including PostgreSQL, CouchDB, BlobDB, and ElasticSearch."},
	{"4.3", "A Standard Operating Procedure (SOP) is established for regular full-system backups."},
	{"5.1", "System downtime has been communicated to end users"},
	{"5.1", "Request has been made to Dimagi to generate a data export"},
	{"5.1", "Data has been imported to the new environment using provided documentation"},
	{"5.1", "HQ Admin user verifies that the data migration has been completed successfully"},
	{"6.1", "Have established the appropriate Service-Level Agreement (SLA) for ongoing support"},
	{"6.1", "Have professionals available to provide the required levels of support as outlined in the SLA."},
}

func TestCommCareGuideCheckpoints(t *testing.T) {
	tpl := commcare(t)
	if len(guideCheckpoints) != 24 {
		t.Fatalf("the guide has 24 checkpoints, the test lists %d", len(guideCheckpoints))
	}
	var got []*Checkpoint
	for _, c := range tpl.Checkpoints() {
		if c.Origin == OriginSource {
			got = append(got, c)
		}
	}
	if len(got) != 24 {
		t.Fatalf("got %d checkpoints from the guide, want 24", len(got))
	}
	// Same order as the guide, same wording, same phase, all blocking.
	for i, w := range guideCheckpoints {
		c := got[i]
		if normalize(c.Text) != w.text {
			t.Errorf("checkpoint %d (%s):\n got %q\nwant %q", i+1, c.Key, normalize(c.Text), w.text)
		}
		if c.PhaseKey() != w.phase {
			t.Errorf("checkpoint %q: phase %s, want %s", c.Key, c.PhaseKey(), w.phase)
		}
		if !c.Blocking {
			t.Errorf("checkpoint %q is not blocking", c.Key)
		}
	}
	// "here" in the text must point somewhere.
	for _, c := range got {
		if strings.HasSuffix(c.Text, "here.") && c.Link == "" {
			t.Errorf("checkpoint %q says 'here' but has no link", c.Key)
		}
	}
}

// TestCommCareProcurementCheckpoints: the guide has no 2.1, so every
// checkpoint of 2.1 is derived and explains itself, and no other phase has
// derived checkpoints.
func TestCommCareProcurementCheckpoints(t *testing.T) {
	tpl := commcare(t)
	n := 0
	for _, c := range tpl.Checkpoints() {
		derived := c.Origin == OriginDerived
		if derived != (c.PhaseKey() == "2.1") {
			t.Errorf("checkpoint %q in phase %s has origin %s", c.Key, c.PhaseKey(), c.Origin)
		}
		if derived {
			n++
			if !strings.Contains(c.Note, "Not from the guide") {
				t.Errorf("checkpoint %q: note %q does not say it is not from the guide", c.Key, c.Note)
			}
		}
	}
	if n < 3 {
		t.Errorf("phase 2.1 has %d checkpoints, want at least 3", n)
	}
}

// guideQuestions are the "Prerequisites / Guiding Questions" items of the
// guide (whitespace normalised), plus the information section 1.1 and the
// resource model of 1.2 ask for, each with the phase that must cover it.
// 2.2's hardware items are covered by 2.1, which the issue builds from them.
var guideQuestions = []struct{ phase, text string }{
	// Phase 1 (listed after 1.2 in the guide).
	{"1.1", "A link to the system architecture diagram including all planned environments and system integrations (sample system architecture diagram 1, sample system architecture diagram 2)"},
	{"1.2", "Intended scale of the system documented, including a timeline to achieve this"},
	{"1.2", "Planned server configuration documentation"},
	{"1.1", "A list of all mobile applications which will be hosted in the local environment, including current released version and number of mobile users"},
	{"1.1", "An answer to the question: “Are users currently collecting data in any of the applications listed above? If yes, how long have the applications been live?”"},
	// Section 1.1's inventory.
	{"1.1", "A full inventory of all planned environments (development, testing and production environments)"},
	{"1.1", "An inventory of systems with which the CommCare instance will be integrated (for example, DHIS2, an Electronic Medical Record System, or a Data Warehouse)."},
	{"1.1", "In addition, if users are currently collecting data in any of the applications, a migration plan to move any existing data from the SaaS hosted environment to the local instance must be designed."},
	{"1.1", "Projections on future addition of new users or new applications"},
	// Section 1.2's resource model inputs.
	{"1.2", "The number of CommCare users, and projected numbers, if the project is planning to scale, and planned dates when the users will become active."},
	{"1.2", "The existing total number of form submissions."},
	{"1.2", "The expected number of forms that an average user submits per month."},
	{"1.2", "New cases per user per month, and updated cases per user per month."},
	// 2.2.
	{"2.1", "A link to the server(s) specifications which will be used to host CommCare, including number of CPUs, amount of RAM the server / cluster has, and size / type (SSD or HDD) of the disk(s)"},
	{"2.1", "A known understanding if CommCare will be hosted directly on these servers, or hosted within a virtual machine(s) within the hardware"},
	{"2.1", "An established plan for expanding Disk space as needed based on growth"},
	{"2.2", "Name of Internet Service Provider (ISP), the Mbps max burst download and upload speed, latency and bandwidth limits"},
	{"2.2", "Link to the support plan and SLAs for when network issues arise"},
	{"2.2", "Known understanding if the local subnet where CommCare will be installed is able to reach network locations outside of the local network"},
	{"2.2", "Known understanding for how many minutes the Uninterruptible Power Supply (UPS) provides when an outage occurs"},
	{"2.2", "Knowledge of how the UPS failover to safe shutdown is configured, and how long the safe shutdown takes to complete once power is lost."},
	{"2.2", "List of the compliance certifications (ISO 27001, SOC-2, CMMC) or procedures being followed at the physical data center, and auditing schedule for each"},
	{"2.2", "Outline of physical security measures which are in place at the data center"},
	{"2.2", "List all security appliances (web application firewall, intrusion detection monitoring, etc) which will be deployed along with CommCare services by type and version."},
	{"2.2", "Plan for ongoing system maintenance activities"},
	// 2.4.
	{"2.4", "Admin-level access to the mobile application"},
	{"2.4", "Domain name to be used for the migration, pointing to the old environment"},
	// 3.1.
	{"3.1", "Name and job function of person who will be installing CommCare on the server"},
	{"3.1", "Name and job function of person managing CommCare post-deployment"},
	{"3.1", "What version of Ubuntu is installed on the server / cluster?"},
	{"3.1", "What domain name directs to the server?"},
	{"3.1", "What is the Public IP address for the server?"},
	{"3.1", "What email gateway will be used for the application?"},
	{"3.1", "What SMS gateway will be used for the application?"},
	{"3.1", "What kernel livepatching service will you be using (e.g. Ubuntu advantage)? For Ubuntu advantage, what is the console output of running: canonical-livepatch status --verbose"},
	{"3.1", "If you are using a hypervisor, what hypervisor software are you using? What is the response time of the support subscription you have (e.g. 1 business day)?"},
	{"3.1", "What are the update / maintenance schedules for the software and firmware of the components of the hosting environment? Are all elements currently up to date with the latest available versions?"},
	// 3.2 and 3.3 ask the same two questions.
	{"3.2", "URL of each of the project spaces which will be used for development or testing is accessible by an HQ administrative user"},
	{"3.2", "URL of the production project space is accessible by an HQ administrative user"},
	{"3.3", "URL of each of the project spaces which will be used for development or testing is accessible by an HQ administrative user"},
	{"3.3", "URL of the production project space is accessible by an HQ administrative user"},
	// 4.2.
	{"4.2", "Link to system health monitoring tool / dashboard"},
	{"4.2", "Link to error logging tool / dashboards"},
	// 4.3.
	{"4.3", "Link to the Standard Operating Procedure for conducting regular full-system backups including frequency of backups and testing plan"},
	{"4.3", "What system will be responsible for creating backups for system recovery? What types of backups will exist?"},
	// 5.1.
	{"5.1", "A secure location for Dimagi to dump the data export has been provided"},
	{"5.1", "Name, email address and job function of person migrating data from current environment to production environment has been shared with Dimagi"},
	// 6.1.
	{"6.1", "Link to the Service Level Agreement for ongoing infrastructure support"},
	{"6.1", "Name and job function of person who will be monitoring the forum and CommCare changelog"},
	{"6.1", "Expected turnaround for both average and urgent changelog notifications"},
	{"6.1", "Name and job function of person doing CommCare Cloud deployments"},
	{"6.1", "What is the schedule on which CommCare will be updated and deployed?"},
	{"6.1", "Link to Disaster Recovery Plan"},
	{"6.1", "Link to issue triage process for receiving issues from end users"},
}

// TestCommCareGuidingQuestions checks that every guiding question is the
// guide of at least one question of the right phase, and that no question
// quotes a guide text that is not in the list (a typo would hide there).
func TestCommCareGuidingQuestions(t *testing.T) {
	tpl := commcare(t)
	covered := map[string]bool{}
	for _, q := range tpl.Questions() {
		if q.Guide != "" {
			covered[q.PhaseKey()+"|"+normalize(q.Guide)] = true
		}
	}
	listed := map[string]bool{}
	for _, g := range guideQuestions {
		k := g.phase + "|" + g.text
		listed[k] = true
		if !covered[k] {
			t.Errorf("guiding question not covered in phase %s: %q", g.phase, g.text)
		}
	}
	for k := range covered {
		if !listed[k] {
			t.Errorf("question quotes a guide text that is not in the guide: %q", k)
		}
	}
}

func TestCommCareSizingInputs(t *testing.T) {
	tpl := commcare(t)
	want := map[SizingInput]string{
		SizingUsers:                "expected_users",
		SizingUserGrowth:           "scale_timeline",
		SizingFormsExisting:        "existing_form_submissions",
		SizingFormsPerUserMonth:    "forms_per_user_month",
		SizingCasesNewPerUserMonth: "new_cases_per_user_month",
		SizingCasesUpdPerUserMonth: "updated_cases_per_user_month",
		SizingAttachmentKBPerForm:  "attachment_kb_per_form",
		SizingHighAvailability:     "high_availability",
		SizingServers:              "servers",
	}
	for in, key := range want {
		q, ok := tpl.SizingQuestion(in)
		if !ok || q.Key != key {
			t.Errorf("sizing input %s: got %v, want question %q", in, q, key)
		}
	}
	if got := len(tpl.SizingQuestions()); got != len(want) {
		t.Errorf("got %d sizing questions, want %d", got, len(want))
	}
	st, ok := tpl.ServerTable()
	if !ok || st.Key != "servers" || st.PhaseKey() != "2.1" {
		t.Fatalf("ServerTable() = %v, %v; want servers in 2.1", st, ok)
	}
	var cols []string
	for _, c := range st.Columns {
		cols = append(cols, c.Key+":"+string(c.Type))
	}
	if got, want := strings.Join(cols, ","), "role:short_text,cpus:number,ram_gb:number,disk_gb:number,disk_type:single_choice"; got != want {
		t.Errorf("server table columns: got %s, want %s", got, want)
	}
}
