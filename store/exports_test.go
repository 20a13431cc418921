package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"groundwork/store"
)

// TestCopyEvidence copies files of several sizes, across the 1 MiB chunk
// boundary, byte for byte, for whoever may see the assessment; nobody
// else gets a byte.
func TestCopyEvidence(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	for _, size := range []int{1, 1<<20 - 1, 1 << 20, 1<<20 + 1, 3<<20 + 17} {
		data := make([]byte, size)
		rand.Read(data)
		ev, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "f.pdf", "application/pdf", data)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		n, err := f.st.CopyEvidence(ctx, f.viewer.ID, a.ID, ev.ID, &buf)
		if err != nil || n != int64(size) || !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("copy of %d bytes: %d bytes, %v, equal %v", size, n, err, bytes.Equal(buf.Bytes(), data))
		}
		buf.Reset()
		if n, err := f.st.CopyEvidence(ctx, f.b.ID, a.ID, ev.ID, &buf); !errors.Is(err, store.ErrNotFound) || n != 0 || buf.Len() != 0 {
			t.Errorf("another organisation's manager: %d bytes, %v", n, err)
		}
		if _, err := f.st.CopyEvidence(ctx, f.advisor.ID, a.ID+1, ev.ID, &buf); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the file under another assessment's id: %v", err)
		}
	}
}

// TestConfirmationNote: the note is saved trimmed, is part of the
// confirmation's history and of the phase's snapshot; a snapshot without
// a note has no "note" member, so snapshots taken before notes existed
// keep their bytes.
func TestConfirmationNote(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	save := func(note string, base int) *store.PhaseSaved {
		t.Helper()
		out, err := f.st.SavePhase(ctx, f.manager.ID, a.ID, tpl, "1", store.PhaseChanges{Confirmations: []store.ConfirmationChange{{Key: "design_done", Confirmed: true, Note: note, Base: base}}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := save("", 0)
	res := tpl.Evaluate(out.State.Input(tpl))
	if c := store.PhaseSnapshot(out.State, tpl, res, "1").Canonical(); bytes.Contains(c, []byte(`"note"`)) {
		t.Errorf("a snapshot without notes has a note member: %s", c)
	}
	out = save("  Checked with the team.\n", 1)
	if r := out.Confirmations[0]; !r.Changed || r.Version != 2 || out.State.Confirmations["design_done"].Note != "Checked with the team." {
		t.Fatalf("saved %+v, stored %+v", r, out.State.Confirmations["design_done"])
	}
	if again := save("Checked with the team.", 2); again.Confirmations[0].Changed {
		t.Error("the same note saved again made a new version")
	}
	st, _ := f.st.AssessmentState(ctx, f.viewer.ID, a.ID)
	if st.Confirmations["design_done"].Note != "Checked with the team." {
		t.Errorf("read back: %+v", st.Confirmations["design_done"])
	}
	hist, err := f.st.History(ctx, f.viewer.ID, a.ID, "checkpoint", "design_done")
	if err != nil || len(hist) != 2 || !strings.Contains(hist[len(hist)-1].New+hist[0].New, "how: Checked with the team.") {
		t.Errorf("history = %+v, %v", hist, err)
	}
	res = tpl.Evaluate(st.Input(tpl))
	snap := store.PhaseSnapshot(st, tpl, res, "1")
	if snap.Checkpoints["design_done"].Note != "Checked with the team." || !bytes.Contains(snap.Canonical(), []byte(`"note":"Checked with the team."`)) {
		t.Errorf("snapshot: %s", snap.Canonical())
	}
	p, _ := tpl.Phase("1")
	old := *snap
	old.Checkpoints = map[string]store.SnapshotCheckpoint{"design_done": {Confirmed: true, Evidence: []store.SnapshotFile{}}}
	if d := store.DiffSnapshots(p, &old, snap); len(d) != 1 || !strings.Contains(d[0].New, "how: Checked") {
		t.Errorf("the note's change = %+v", d)
	}
	// The database refuses a note the handlers would have refused.
	if _, err := f.st.SavePhase(ctx, f.manager.ID, a.ID, tpl, "1", store.PhaseChanges{Confirmations: []store.ConfirmationChange{{Key: "design_done", Confirmed: true, Note: strings.Repeat("x", store.NoteMax+1), Base: 2}}}); err == nil {
		t.Error("a note over NoteMax was stored")
	}
}
