package web

import (
	"context"
	"io"
	"strconv"
	"testing"
)

// benchPhase is a phase page like CommCare 1.2: a dozen questions of
// every common kind, two checkpoints and the sizing panel.
func benchPhase() PhaseView {
	v := PhaseView{AssessmentID: 42, AssessmentName: "Production move 2027", Key: "1.2", Title: "System sizing",
		Intro:  "Based on the planned number of users on the system, the program identifies the system configuration.",
		Status: Status{Key: "in_progress", Label: "In progress", Class: "info"}, Progress: Progress{Required: 9, Answered: 5, Checkpoints: 2, Score: 40},
		CanEdit: true, Sizing: &SizingView{Heading: "Sizing recommendation", Facts: []Fact{{Label: "Configuration", Value: "Micro cluster: 2 servers"}, {Label: "Each server", Value: "about 4 vCPUs, at least 16 GB RAM, 1 TB SSD"}}}}
	base := "/assessments/42/phases/1.2"
	for i := range 12 {
		key := "question_" + strconv.Itoa(i)
		q := QuestionView{Key: key, Label: "label " + key, Prompt: "How many forms does an average user submit per month, and how many cases?", Help: "Single server < 1,500 users; micro cluster < 3,500.",
			Type: []string{"number", "short_text", "yes_no", "single_choice", "table", "url"}[i%6], Required: true, Range: "at least 0", Unit: "forms",
			Text: "1200", Version: 3, History: 3, SaveURL: base + "/answers/" + key, HistURL: "/assessments/42/history/answer/" + key, NewRow: -1,
			Saved: &SavedState{By: "Amina Otieno", At: "2026-11-23T10:00:00Z", Time: "23 Nov 10:00 UTC"}, DescribedBy: "h-" + key + " m-" + key}
		q.Choices = []Option{{"single_server", "Single server (< 1,500 users)"}, {"micro_cluster", "Micro cluster"}, {"small_cluster", "Small cluster"}, {"large_cluster", "Large cluster"}}
		q.Columns = []Column{{Key: "date", Label: "Date active", Type: "date"}, {Key: "users", Label: "Users", Type: "number"}}
		q.Rows = [][]string{{"2027-01-01", "800"}, {"2027-09-01", "2500"}}
		v.Questions = append(v.Questions, q)
	}
	for i := range 2 {
		key := "checkpoint_" + strconv.Itoa(i)
		v.Checkpoints = append(v.Checkpoints, CheckpointView{Key: key, Text: "Intended scale of the system and timeline to achieve this has been documented.", Blocking: true,
			SaveURL: base + "/checkpoints/" + key, UploadURL: base + "/checkpoints/" + key + "/evidence", HistURL: "/h/" + key})
	}
	return v
}

func BenchmarkPhasePageRender(b *testing.B) {
	v := benchPhase()
	p := Page{Title: "1.2 System sizing", Section: "assessments", Version: "dev", User: &SignedIn{Name: "Amina", Role: "manager", OrgSlug: "moh"}, IdleSeconds: 28800}
	b.ReportAllocs()
	for b.Loop() {
		if err := PhasePage(p, v).Render(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
