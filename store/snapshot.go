package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"groundwork/assessment"
)

// SnapshotFormat names the snapshot's shape and encoding; a change to
// either gets a new name.
const SnapshotFormat = "groundwork-phase-snapshot/1"

// Snapshot is a phase as an advisor decided on it: its answers,
// confirmations and evidence metadata, with the decision, who made it and
// when. An approval's snapshot is the sign-off; a request for changes keeps
// one so that the next review can see what changed.
//
// Its canonical encoding (Canonical), which the digest is the SHA-256 of:
//
//   - one JSON object (RFC 8259) in UTF-8, with no whitespace outside
//     strings and no trailing newline;
//   - the members of every object sorted by key, in byte order;
//   - no numbers: every value is a string, a boolean (confirmed), an array
//     (evidence files, in upload order) or an object;
//   - answers as stored (assessment.Question.Encode: numbers in their
//     canonical decimal form, tables and lists as JSON text), sizes in
//     decimal, SHA-256 sums in lower-case hex, times in UTC as
//     2006-01-02T15:04:05.000000Z (always six fractional digits);
//   - in strings, '"' and '\' escaped with a backslash, U+0008, U+0009,
//     U+000A, U+000C and U+000D as \b, \t, \n, \f and \r, other characters
//     below U+0020 as \u00XX (lower-case hex), U+2028 and U+2029 as \u2028
//     and \u2029, and every other character as itself (no \u escapes for
//     <, > or &).
//
// Decoding an encoding and encoding it again gives the same bytes.
type Snapshot struct {
	Format          string `json:"format"`
	Assessment      string `json:"assessment"` // the assessment's id
	Template        string `json:"template"`
	TemplateVersion string `json:"template_version"`
	Phase           string `json:"phase"`
	Revision        string `json:"revision"`
	// Decision is "approved" or "changes_requested"; empty, with DecidedBy
	// and DecidedAt, in the snapshot of a phase as it is now.
	Decision  string `json:"decision"`
	DecidedBy string `json:"decided_by"` // the advisor's name then
	DecidedAt string `json:"decided_at"`
	// Answers are the stored answers of the phase's questions shown,
	// by question key; unanswered ones are left out.
	Answers     map[string]string             `json:"answers"`
	Checkpoints map[string]SnapshotCheckpoint `json:"checkpoints"`
}

// SnapshotCheckpoint is one checkpoint in a snapshot: whether it is
// confirmed, who set that last and when ("" when nobody has), its
// evidence link and files, and the note on how it was done. The note is
// left out when empty, so that snapshots taken before notes existed keep
// their encoding (and digest).
type SnapshotCheckpoint struct {
	Confirmed   bool           `json:"confirmed"`
	By          string         `json:"confirmed_by"`
	At          string         `json:"confirmed_at"`
	EvidenceURL string         `json:"evidence_url"`
	Note        string         `json:"note,omitempty"`
	Evidence    []SnapshotFile `json:"evidence"`
}

// SnapshotFile is an evidence file's metadata in a snapshot.
type SnapshotFile struct {
	Filename   string `json:"filename"`
	Size       string `json:"size"`   // bytes, in decimal
	SHA256     string `json:"sha256"` // of the content, lower-case hex
	UploadedBy string `json:"uploaded_by"`
	UploadedAt string `json:"uploaded_at"`
}

// snapshotTime is the one way a snapshot writes a time.
func snapshotTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// PhaseSnapshot is the phase of st, as res evaluates it, in a snapshot
// without a decision.
func PhaseSnapshot(st *State, tpl *assessment.Template, res *assessment.Result, phase string) *Snapshot {
	s := &Snapshot{
		Format: SnapshotFormat, Assessment: strconv.FormatInt(st.ID, 10),
		Template: st.TemplateID, TemplateVersion: strconv.Itoa(st.TemplateVersion),
		Phase: phase, Revision: strconv.Itoa(st.Reviews[phase].CurrentRevision()),
		Answers: map[string]string{}, Checkpoints: map[string]SnapshotCheckpoint{},
	}
	p, ok := tpl.Phase(phase)
	if !ok {
		return s
	}
	for _, q := range p.Questions {
		if a := st.Answers[q.Key]; a.Value != "" && res.Visible(q.Key) {
			s.Answers[q.Key] = a.Value
		}
	}
	for _, c := range p.Checkpoints {
		conf := st.Confirmations[c.Key]
		sc := SnapshotCheckpoint{Confirmed: conf.Confirmed, EvidenceURL: conf.EvidenceURL, Note: conf.Note, Evidence: []SnapshotFile{}}
		if conf.Version > 0 {
			sc.By, sc.At = conf.UpdatedBy, snapshotTime(conf.UpdatedAt)
		}
		for _, e := range st.Evidence[c.Key] {
			sc.Evidence = append(sc.Evidence, SnapshotFile{Filename: e.Filename, Size: strconv.Itoa(e.Size), SHA256: e.SHA256,
				UploadedBy: e.UploadedBy, UploadedAt: snapshotTime(e.UploadedAt)})
		}
		s.Checkpoints[c.Key] = sc
	}
	return s
}

// Canonical returns the snapshot's canonical encoding (see Snapshot).
func (s *Snapshot) Canonical() []byte {
	data, err := json.Marshal(s)
	if err == nil {
		data, err = Canonicalize(data)
	}
	if err != nil {
		panic("store: encode snapshot: " + err.Error()) // strings, booleans, maps and slices always encode
	}
	return data
}

// Canonicalize re-encodes one JSON value in the canonical encoding (see
// Snapshot): keys sorted, no whitespace, the same string escapes.
func Canonicalize(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // maps encode with their keys sorted
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ParseSnapshot decodes a snapshot's encoding.
func ParseSnapshot(data []byte) (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("store: snapshot: %w", err)
	}
	return &s, nil
}

// Why VerifySnapshot finds a snapshot not intact.
var (
	ErrDigestMismatch = errors.New("store: the snapshot's SHA-256 is not its stored digest")
	ErrNotCanonical   = errors.New("store: the snapshot is not in its canonical encoding")
)

// VerifySnapshot recomputes the digest of a stored snapshot: nil when it
// is intact (its SHA-256 is digest and it is canonically encoded),
// ErrDigestMismatch or ErrNotCanonical otherwise.
func VerifySnapshot(snapshot, digest []byte) error {
	sum := sha256.Sum256(snapshot)
	if !bytes.Equal(sum[:], digest) {
		return ErrDigestMismatch
	}
	if c, err := Canonicalize(snapshot); err != nil || !bytes.Equal(c, snapshot) {
		return ErrNotCanonical
	}
	return nil
}

// ChangeKind says how an item differs between two snapshots.
type ChangeKind string

// The kinds of difference.
const (
	Added   ChangeKind = "added"
	Changed ChangeKind = "changed"
	Removed ChangeKind = "removed"
)

// SnapshotChange is one difference between two snapshots of a phase.
// Item is "answer" (Old and New are stored values), "checkpoint" (its
// confirmation and link, as ConfirmationText) or "evidence" (one file,
// OldFile and NewFile; a file of the same name with other content is
// changed).
type SnapshotChange struct {
	Item             string
	Key              string // question or checkpoint key
	Kind             ChangeKind
	Old, New         string
	OldFile, NewFile *SnapshotFile
}

// DiffSnapshots lists what differs from old to cur, in the phase's order:
// answers, then each checkpoint's confirmation and evidence files.
func DiffSnapshots(p *assessment.Phase, old, cur *Snapshot) []SnapshotChange {
	var out []SnapshotChange
	kind := func(was, is bool) ChangeKind {
		switch {
		case !was:
			return Added
		case !is:
			return Removed
		}
		return Changed
	}
	for _, q := range p.Questions {
		o, was := old.Answers[q.Key]
		n, is := cur.Answers[q.Key]
		if o != n || was != is {
			out = append(out, SnapshotChange{Item: "answer", Key: q.Key, Kind: kind(was, is), Old: o, New: n})
		}
	}
	for _, c := range p.Checkpoints {
		o, n := old.Checkpoints[c.Key], cur.Checkpoints[c.Key]
		if o.Confirmed != n.Confirmed || o.EvidenceURL != n.EvidenceURL || o.Note != n.Note {
			out = append(out, SnapshotChange{Item: "checkpoint", Key: c.Key, Kind: Changed,
				Old: ConfirmationText(o.Confirmed, o.EvidenceURL, o.Note), New: ConfirmationText(n.Confirmed, n.EvidenceURL, n.Note)})
		}
		out = append(out, diffFiles(c.Key, o.Evidence, n.Evidence)...)
	}
	return out
}

// diffFiles compares two lists of files by name and content: a name whose
// content differs is a changed file.
func diffFiles(key string, old, cur []SnapshotFile) []SnapshotChange {
	var out []SnapshotChange
	same := func(a, b SnapshotFile) bool { return a.Filename == b.Filename && a.SHA256 == b.SHA256 }
	has := func(list []SnapshotFile, f SnapshotFile, eq func(a, b SnapshotFile) bool) int {
		for i, g := range list {
			if eq(f, g) {
				return i
			}
		}
		return -1
	}
	byName := func(a, b SnapshotFile) bool { return a.Filename == b.Filename }
	replaced := map[int]bool{} // files of cur that replace one of old
	for _, f := range old {
		if has(cur, f, same) >= 0 {
			continue
		}
		if i := has(cur, f, byName); i >= 0 && has(old, cur[i], same) < 0 && !replaced[i] {
			replaced[i] = true
			out = append(out, SnapshotChange{Item: "evidence", Key: key, Kind: Changed, Old: f.Filename, New: cur[i].Filename, OldFile: &f, NewFile: &cur[i]})
			continue
		}
		out = append(out, SnapshotChange{Item: "evidence", Key: key, Kind: Removed, Old: f.Filename, OldFile: &f})
	}
	for i := range cur {
		if replaced[i] || has(old, cur[i], same) >= 0 {
			continue
		}
		out = append(out, SnapshotChange{Item: "evidence", Key: key, Kind: Added, New: cur[i].Filename, NewFile: &cur[i]})
	}
	return out
}
