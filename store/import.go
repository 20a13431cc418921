package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// An import brings an assessment exported by another Groundwork instance
// (its export.json, and the evidence files of its evidence pack) into an
// organisation of this one, as a new assessment: answers, confirmations,
// evidence files, phase reviews, decisions with their snapshots and
// digests byte for byte, and comment threads. It is one transaction:
// anything refused leaves nothing behind.
//
// People. The other instance's accounts do not exist here. Each person
// named in the export is matched by e-mail address to an account here;
// whoever has none is recorded as the importing admin, and their name
// stays visible: a comment or decision of theirs starts with
// "[Name, imported]", and the import's event in the audit trail lists
// them. Snapshots keep the names they were made with.

// ImportPerson is someone named in an export, as the other instance knew
// them.
type ImportPerson struct {
	Name, Email string
}

// Import is an assessment read from another instance's export, checked
// against this instance's template (see the handler): ready to insert.
type Import struct {
	OrganisationID int64
	Name           string
	SignOff        bool
	CreatedAt      time.Time
	// ArchivedAt, when not zero, is when the assessment was archived where
	// it came from, by ArchivedBy (a name of People): it is archived here
	// too. It must have no phase waiting for review.
	ArchivedAt time.Time
	ArchivedBy string
	// Source says where it came from, for the audit trail: "assessment 12
	// of Ministry of Health (moh), exported 2026-12-01 10:00 UTC".
	Source string
	// SourceOrg and SourceID name the assessment it came from (its
	// organisation's slug and its id there; with CreatedAt, importKey).
	// Unless Again, an organisation that holds it already, imported or the
	// original itself (an export imported on the instance it came from),
	// refuses it with *AlreadyImported.
	SourceOrg     string
	SourceID      int64
	Again         bool
	People        map[string]ImportPerson // by name, as the export names them
	Answers       []ImportAnswer
	Confirmations []ImportConfirmation
	Evidence      []ImportEvidence
	Reviews       []ImportReview
	Decisions     []ImportDecision
	Threads       []ImportThread
	// Actions are the owners and due dates set on action items; a
	// thread's item names the thread by its SourceID.
	Actions []ImportAction
}

// ImportAction is what was set on one action item (see ActionKey).
type ImportAction struct {
	Key   string
	Owner string
	Due   time.Time // a date; zero for none
	By    string
	At    time.Time
}

// ImportAnswer is an answer in its stored form (assessment.Question.Encode).
type ImportAnswer struct {
	Key, Value string
	Version    int
	By         string
	At         time.Time
}

// ImportConfirmation is a checkpoint's confirmation.
type ImportConfirmation struct {
	Key         string
	Confirmed   bool
	EvidenceURL string
	Note        string
	Version     int
	By          string
	At          time.Time
}

// ImportEvidence is one evidence file; Open reads its content, which must
// have the digest SHA256 (lower-case hex), when the import inserts it, so
// that only one file is held in memory at a time.
type ImportEvidence struct {
	Checkpoint  string
	Filename    string
	ContentType string
	SHA256      string
	By          string
	At          time.Time
	Open        func() ([]byte, error)
}

// ImportReview is a phase's hand-set state.
type ImportReview struct {
	Phase    string
	State    assessment.ReviewState
	Waived   bool
	Reason   string
	Comment  string
	Revision int
	By       string
	At       time.Time
}

// ImportDecision is one decision on a phase, with its snapshot and digest
// as the other instance stored them.
type ImportDecision struct {
	Phase     string
	Revision  int
	Action    DecisionAction
	Reason    string
	Questions []string
	By        string
	At        time.Time
	Snapshot  []byte // nil: none
	Digest    []byte
}

// ImportThread is a comment thread: its first comment, then the replies.
type ImportThread struct {
	// SourceID is the thread's id in the export, which its action item's
	// key names; the import gives it a new one.
	SourceID        int64
	Phase, Question string
	Kind            CommentKind
	Marked          []string
	ResolvedBy      string
	ResolvedAt      time.Time // zero: open
	Comments        []ImportComment
}

// ImportComment is one comment, with the texts its edits replaced.
type ImportComment struct {
	Author    string
	Body      string
	CreatedAt time.Time
	EditedAt  time.Time // zero: never edited
	Previous  []ImportCommentVersion
}

// ImportCommentVersion is a text an edit replaced.
type ImportCommentVersion struct {
	Body       string
	ReplacedAt time.Time
}

// ImportRefusal says why an import is refused: a decision (Phase,
// Revision, Action) whose snapshot does not verify (ErrDigestMismatch,
// ErrNotCanonical), or an evidence file (File, its name) that cannot be
// read or whose content is not what its export says (ErrEvidenceDigest,
// ErrFileTooLarge).
type ImportRefusal struct {
	Phase    string
	Revision int
	Action   DecisionAction
	File     string
	Err      error
}

func (e *ImportRefusal) Error() string {
	if e.File != "" {
		return "store: import: evidence file " + e.File + ": " + e.Err.Error()
	}
	return fmt.Sprintf("store: import: phase %s revision %d %s: %v", e.Phase, e.Revision, e.Action, e.Err)
}

func (e *ImportRefusal) Unwrap() error { return e.Err }

// importKey is what assessments.imported_from keeps of an import's source:
// "<organisation slug>/<id>/<start, RFC 3339>", or "" when the export did
// not say where it came from.
func importKey(im Import) string {
	if im.SourceOrg == "" {
		return ""
	}
	return fmt.Sprintf("%s/%d/%s", im.SourceOrg, im.SourceID, im.CreatedAt.UTC().Format(time.RFC3339Nano))
}

// AlreadyImported refuses an import of an assessment that the
// organisation holds already, imported or the original: its id and name.
type AlreadyImported struct {
	ID   int64
	Name string
}

func (e *AlreadyImported) Error() string {
	return fmt.Sprintf("store: import: the organisation holds it already, as assessment %d", e.ID)
}

// ErrEvidenceDigest refuses an evidence file whose content does not have
// the SHA-256 its export names.
var ErrEvidenceDigest = errors.New("store: the file's SHA-256 is not the one its export names")

// importName is the name of an imported assessment: its own, or, when the
// organisation holds one of that name already (an import again), its name
// marked as a copy ("Pilot move (copy)", "Pilot move (copy 2)"), so that
// its list does not show two alike.
func importName(ctx context.Context, tx pgx.Tx, im Import) (string, error) {
	name, err := AssessmentName(im.Name)
	if err != nil {
		return "", err
	}
	var same int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM assessments WHERE organisation_id = $1 AND (name = $2 OR starts_with(name, $2 || ' (copy'))`,
		im.OrganisationID, name).Scan(&same); err != nil {
		return "", fmt.Errorf("store: import: %w", err)
	}
	if same == 0 {
		return name, nil
	}
	suffix := " (copy)"
	if same > 1 {
		suffix = fmt.Sprintf(" (copy %d)", same)
	}
	if r := []rune(name); len(r)+len(suffix) > 200 { // the names' limit
		name = strings.TrimSpace(string(r[:200-len(suffix)]))
	}
	return name + suffix, nil
}

// ImportAssessment inserts im as a new assessment of organisation
// im.OrganisationID following tpl, for an admin (ErrNotFound for anyone
// else, or an organisation that does not exist), and returns its id.
func (s *Store) ImportAssessment(ctx context.Context, actorID int64, tpl *assessment.Template, im Import) (int64, error) {
	for _, d := range im.Decisions {
		if d.Snapshot == nil && d.Digest == nil {
			continue
		}
		if err := VerifySnapshot(d.Snapshot, d.Digest); err != nil {
			return 0, &ImportRefusal{Phase: d.Phase, Revision: d.Revision, Action: d.Action, Err: err}
		}
	}
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		source := importKey(im)
		if source != "" && !im.Again {
			var dup AlreadyImported
			err := tx.QueryRow(ctx, `SELECT a.id, a.name FROM assessments a JOIN organisations o ON o.id = a.organisation_id
				WHERE a.organisation_id = $2 AND (a.imported_from = $3 OR (o.slug = $4 AND a.id = $5 AND a.created_at = $6))
				AND `+isAdmin("$1")+` ORDER BY a.id LIMIT 1`,
				actorID, im.OrganisationID, source, im.SourceOrg, im.SourceID, im.CreatedAt).Scan(&dup.ID, &dup.Name)
			if err == nil {
				return &dup
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("store: import: %w", err)
			}
		}
		name, err := importName(ctx, tx, im)
		if err != nil {
			return err
		}
		var org int64
		err = tx.QueryRow(ctx, `
			INSERT INTO assessments (organisation_id, template_id, template_version, name, sign_off, created_by, created_at, updated_by, readiness, imported_from)
			SELECT o.id, $3, $4, $5, $6, $1, $7, $1, 0, nullif($8, '') FROM organisations o
			WHERE o.id = $2 AND `+isAdmin("$1")+`
			RETURNING id, organisation_id`, actorID, im.OrganisationID, tpl.ID, tpl.Version, name, im.SignOff, im.CreatedAt, source).Scan(&id, &org)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		e := &edit{tx: tx, st: &State{Assessment: Assessment{ID: id, OrganisationID: org}}, tpl: tpl, actor: actorID, jobs: s.jobs}
		who, strangers, err := importPeople(ctx, tx, actorID, im)
		if err != nil {
			return err
		}
		// named marks a text by someone who has no account here.
		named := func(name, text string) string {
			who(name)
			if _, ok := strangers[name]; !ok || name == "" {
				return text
			}
			return "[" + name + ", imported] " + text
		}
		for _, a := range im.Answers {
			e.queue(`INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, a.Key, a.Value, a.Version, who(a.By), a.At)
		}
		for _, c := range im.Confirmations {
			e.queue(`INSERT INTO confirmations (assessment_id, checkpoint_key, confirmed, evidence_url, note, version, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, c.Key, c.Confirmed, c.EvidenceURL, c.Note, c.Version, who(c.By), c.At)
		}
		for _, r := range im.Reviews {
			e.queue(`INSERT INTO phase_reviews (assessment_id, phase_key, state, waived, reason, comment, revision, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, r.Phase, r.State, r.Waived, r.Reason, r.Comment, max(1, r.Revision), who(r.By), r.At)
		}
		for _, d := range im.Decisions {
			var text *string
			if d.Snapshot != nil {
				s := string(d.Snapshot)
				text = &s
			}
			questions := d.Questions
			if questions == nil {
				questions = []string{}
			}
			e.queue(`INSERT INTO phase_decisions (assessment_id, phase_key, revision, action, reason, questions, snapshot, digest, decided_by, decided_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				id, d.Phase, d.Revision, d.Action, named(d.By, d.Reason), questions, text, d.Digest, who(d.By), d.At)
		}
		if err := tx.SendBatch(ctx, &e.batch).Close(); err != nil {
			return fmt.Errorf("store: import %d: %w", id, err)
		}
		e.batch = pgx.Batch{}
		for _, ev := range im.Evidence {
			if err := importEvidence(ctx, tx, id, who(ev.By), ev); err != nil {
				return err
			}
		}
		threads := map[string]string{}
		for _, t := range im.Threads {
			tid, err := importThread(ctx, tx, id, t, who, named)
			if err != nil {
				return err
			}
			threads[strconv.FormatInt(t.SourceID, 10)] = strconv.FormatInt(tid, 10)
		}
		for _, a := range im.Actions {
			key := a.Key
			if src, ok := strings.CutPrefix(key, ActionThread+":"); ok {
				if threads[src] == "" {
					return fmt.Errorf("store: import: action item %s names a thread the import does not hold", key)
				}
				key = ActionKey(ActionThread, threads[src])
			}
			if err := CheckActionPlan(key, a.Owner, a.Due); err != nil {
				return fmt.Errorf("store: import: action item %s: %w", key, err)
			}
			e.queue(`INSERT INTO action_items (assessment_id, item_key, owner, due_date, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, key, strings.TrimSpace(a.Owner), nullTime(a.Due), who(a.By), a.At)
		}
		what := "imported from " + im.Source // the event has its own time
		if !im.ArchivedAt.IsZero() {
			e.queue(`UPDATE assessments SET archived_at = $2, archived_by = $3 WHERE id = $1`, id, im.ArchivedAt, who(im.ArchivedBy))
			what += "; archived, as it was there"
		}
		if len(strangers) > 0 {
			var list []string
			for _, p := range strangers {
				list = append(list, p.Name+" <"+p.Email+">")
			}
			what += "; recorded as the importing admin (no account here with their e-mail address): " + strings.Join(slices.Sorted(slices.Values(list)), ", ")
		}
		e.history("assessment", "", 0, nil, what)
		if e.st, err = readState(ctx, tx, actorID, id, ""); err != nil {
			return err
		}
		e.readiness()
		if err := tx.SendBatch(ctx, &e.batch).Close(); err != nil {
			return fmt.Errorf("store: import %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// importPeople matches the people of im to accounts here by e-mail
// address: who gives the account id for a name (the actor's for anyone
// without one; nil for no name), strangers those without one, by name.
func importPeople(ctx context.Context, tx pgx.Tx, actorID int64, im Import) (func(string) *int64, map[string]ImportPerson, error) {
	var emails []string
	for _, p := range im.People {
		emails = append(emails, strings.ToLower(strings.TrimSpace(p.Email)))
	}
	rows, err := tx.Query(ctx, `SELECT email, id FROM users WHERE email = ANY($1)`, emails)
	if err != nil {
		return nil, nil, fmt.Errorf("store: import people: %w", err)
	}
	byEmail := map[string]int64{}
	var email string
	var uid int64
	if _, err := pgx.ForEachRow(rows, []any{&email, &uid}, func() error { byEmail[email] = uid; return nil }); err != nil {
		return nil, nil, fmt.Errorf("store: import people: %w", err)
	}
	ids := map[string]int64{}
	strangers := map[string]ImportPerson{}
	for name, p := range im.People {
		if uid, ok := byEmail[strings.ToLower(strings.TrimSpace(p.Email))]; ok {
			ids[name] = uid
		} else {
			strangers[name] = p
		}
	}
	who := func(name string) *int64 {
		if name == "" {
			return nil // nobody named: an account the other instance deleted
		}
		if uid, ok := ids[name]; ok {
			return &uid
		}
		if _, ok := strangers[name]; !ok {
			strangers[name] = ImportPerson{Name: name, Email: "e-mail address not in the export"}
		}
		return &actorID
	}
	return who, strangers, nil
}

// importEvidence reads one file, checks its digest and inserts it.
func importEvidence(ctx context.Context, tx pgx.Tx, id int64, by *int64, ev ImportEvidence) error {
	data, err := ev.Open()
	if err != nil {
		return &ImportRefusal{File: ev.Filename, Err: err}
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != ev.SHA256 {
		return &ImportRefusal{File: ev.Filename, Err: ErrEvidenceDigest}
	}
	if len(data) == 0 || len(data) > MaxEvidenceBytes {
		return &ImportRefusal{File: ev.Filename, Err: ErrFileTooLarge}
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO evidence (assessment_id, checkpoint_key, filename, content_type, size, sha256, data, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, ev.Checkpoint, ev.Filename, ev.ContentType, len(data), sum[:], data, by, ev.At); err != nil {
		return fmt.Errorf("store: import evidence: %w", err)
	}
	return nil
}

// importThread inserts a thread's comments, first the thread's, then its
// replies, with the texts their edits replaced.
func importThread(ctx context.Context, tx pgx.Tx, id int64, t ImportThread, who func(string) *int64, named func(string, string) string) (int64, error) {
	var thread int64
	for i, c := range t.Comments {
		var cid int64
		var err error
		edited := nullTime(c.EditedAt)
		if i == 0 {
			marked := t.Marked
			if marked == nil {
				marked = []string{}
			}
			var resolvedBy *int64
			if !t.ResolvedAt.IsZero() {
				resolvedBy = who(t.ResolvedBy)
			}
			err = tx.QueryRow(ctx, `INSERT INTO comments (assessment_id, phase_key, question_key, kind, question_keys, body, author_id, created_at, edited_at, resolved_at, resolved_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
				id, t.Phase, t.Question, t.Kind, marked, named(c.Author, c.Body), who(c.Author), c.CreatedAt, edited, nullTime(t.ResolvedAt), resolvedBy).Scan(&cid)
			thread = cid
		} else {
			err = tx.QueryRow(ctx, `INSERT INTO comments (assessment_id, phase_key, question_key, thread_id, body, author_id, created_at, edited_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				id, t.Phase, t.Question, thread, named(c.Author, c.Body), who(c.Author), c.CreatedAt, edited).Scan(&cid)
		}
		if err != nil {
			return 0, fmt.Errorf("store: import comment: %w", err)
		}
		for _, p := range c.Previous {
			if _, err := tx.Exec(ctx, `INSERT INTO comment_edits (comment_id, body, replaced_at) VALUES ($1, $2, $3)`, cid, p.Body, p.ReplacedAt); err != nil {
				return 0, fmt.Errorf("store: import comment: %w", err)
			}
		}
	}
	return thread, nil
}

// nullTime is t, or NULL when zero.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// AssessmentPeople lists everyone named on an assessment the actor may
// see (who answered, confirmed, uploaded, reviewed, decided, commented,
// resolved or set an action item's owner or due date), with their e-mail
// address, by name: for the export, so that
// another instance can match them to its accounts.
func (s *Store) AssessmentPeople(ctx context.Context, actorID, id int64) ([]ImportPerson, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.name, u.email FROM users u
		WHERE u.id IN (
			SELECT updated_by FROM answers WHERE assessment_id = $2
			UNION SELECT updated_by FROM confirmations WHERE assessment_id = $2
			UNION SELECT updated_by FROM phase_reviews WHERE assessment_id = $2
			UNION SELECT uploaded_by FROM evidence WHERE assessment_id = $2
			UNION SELECT decided_by FROM phase_decisions WHERE assessment_id = $2
			UNION SELECT author_id FROM comments WHERE assessment_id = $2
			UNION SELECT resolved_by FROM comments WHERE assessment_id = $2
			UNION SELECT updated_by FROM action_items WHERE assessment_id = $2
			UNION SELECT archived_by FROM assessments WHERE id = $2)
		AND EXISTS (SELECT 1 FROM assessments a WHERE a.id = $2 AND `+canSeeOrg("$1", "a.organisation_id")+`)
		ORDER BY u.name, u.email`, actorID, id)
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ImportPerson, error) {
		var p ImportPerson
		err := r.Scan(&p.Name, &p.Email)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", id, err)
	}
	return list, nil
}
