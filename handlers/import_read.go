package handlers

import (
	"archive/zip"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// readImport reads an upload for the import: an assessment's export.json,
// or its evidence pack (evidence.zip: export.json at the root and each
// evidence file at its "file" path), and checks it against the catalog.
// Refusals are *fieldError on "file", in words for the admin; the
// evidence files are read, and their digests checked, when the store
// inserts them.
func (h *handler) readImport(f io.ReaderAt, size int64) (store.Import, *assessment.Template, error) {
	var head [4]byte
	n, _ := f.ReadAt(head[:], 0)
	var data []byte
	var files map[string]*zip.File
	if n == 4 && string(head[:]) == "PK\x03\x04" {
		zr, err := zip.NewReader(f, size)
		if err != nil {
			return store.Import{}, nil, importRefused("This zip file cannot be read. Choose the evidence pack (evidence.zip) as Groundwork made it, or its export.json.")
		}
		files = map[string]*zip.File{}
		for _, zf := range zr.File {
			files[zf.Name] = zf
		}
		ej, ok := files["export.json"]
		if !ok {
			return store.Import{}, nil, importRefused("This zip file has no export.json at its top level, so it is not a Groundwork evidence pack.")
		}
		if data, err = readZipFile(ej, 64<<20); err != nil {
			return store.Import{}, nil, importRefused("The export.json inside this zip file cannot be read.")
		}
		if mf, ok := files["MANIFEST.txt"]; ok {
			if err := checkManifest(mf, data); err != nil {
				return store.Import{}, nil, err
			}
		}
	} else {
		var err error
		if data, err = io.ReadAll(io.NewSectionReader(f, 0, size)); err != nil {
			return store.Import{}, nil, importRefused("The file cannot be read.")
		}
	}
	var doc exportAssessment
	if err := json.Unmarshal(data, &doc); err != nil || doc.Format != exportFormat {
		return store.Import{}, nil, importRefused("This file is not an assessment exported by Groundwork: choose an assessment's export.json, or its evidence pack (evidence.zip).")
	}
	if doc.Template.ID == "" || doc.Template.Version == 0 {
		return store.Import{}, nil, importRefused("This file is not a complete assessment export: it does not say which template the assessment follows. Export the assessment again from the Groundwork it came from.")
	}
	tpl, ok := h.catalog.Template(doc.Template.ID, doc.Template.Version)
	if !ok {
		return store.Import{}, nil, importRefused(fmt.Sprintf("This assessment follows the template “%s” (%s) version %d, which this instance does not have. Update Groundwork to a release that includes it, then import again.",
			doc.Template.Title, doc.Template.ID, doc.Template.Version))
	}
	im, err := importOf(&doc, tpl, files)
	return im, tpl, err
}

// importRefused is a refusal of the uploaded file.
func importRefused(msg string) error { return &fieldError{"file", msg + " Nothing was imported."} }

// checkManifest checks export.json against the pack's MANIFEST.txt (lines
// of "<sha256 hex>  <size>  <path>"), when it lists it: an export.json
// changed after the pack was made is refused. (The evidence files are
// checked against export.json's own digests.)
func checkManifest(mf *zip.File, exportJSON []byte) error {
	data, err := readZipFile(mf, 16<<20)
	if err != nil {
		return importRefused("The MANIFEST.txt inside this zip file cannot be read.")
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[2] != "export.json" {
			continue
		}
		sum := sha256.Sum256(exportJSON)
		if !strings.EqualFold(fields[0], hex.EncodeToString(sum[:])) {
			return importRefused("The export.json inside this zip file does not match the SHA-256 its MANIFEST.txt lists: it has been changed since the pack was made.")
		}
	}
	return nil
}

// readZipFile reads one file of a zip, up to limit bytes.
func readZipFile(zf *zip.File, limit int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = store.ErrFileTooLarge
	}
	return data, err
}

// importOf turns an export into an import, checking every item against
// the template: its phases, questions and checkpoints, answers that
// decode and validate, known review states and decisions, and evidence
// files present in the pack (files; nil for a lone export.json).
func importOf(doc *exportAssessment, tpl *assessment.Template, files map[string]*zip.File) (store.Import, error) {
	im := store.Import{Name: doc.Name, SignOff: doc.SignOff, CreatedAt: doc.CreatedAt, People: map[string]store.ImportPerson{},
		SourceOrg: doc.Organisation.Slug, SourceID: doc.ID,
		Source: fmt.Sprintf("assessment %d of %s (%s), exported %s", doc.ID, doc.Organisation.Name, doc.Organisation.Slug, doc.ExportedAt.UTC().Format(web.TimeLayout))}
	if _, err := store.AssessmentName(doc.Name); errors.Is(err, store.ErrNameControls) {
		return im, importRefused("This export's assessment name holds invisible direction controls (such as a right-to-left override) that make it read as something else, so nothing was imported.")
	} else if err != nil || doc.CreatedAt.IsZero() {
		return im, importRefused("This export has no valid assessment name or start date.")
	}
	if doc.ArchivedAt != nil {
		// Archived where it came from, archived here. Archiving withdraws
		// the phases waiting for review, so an archived export holds none.
		im.ArchivedAt, im.ArchivedBy = *doc.ArchivedAt, doc.ArchivedBy
		for _, p := range doc.Phases {
			if p.Review != nil && p.Review.State == assessment.ReviewSubmitted {
				return im, importRefused(fmt.Sprintf("This export says the assessment is archived, yet its phase %s waits for review, which an archived assessment cannot. Export it again from the Groundwork it came from.", p.Key))
			}
		}
	}
	for _, p := range doc.People {
		if q, dup := im.People[p.Name]; dup {
			// Two people of one name: neither can be matched by name.
			p.Email = q.Email + " or " + p.Email
		}
		im.People[p.Name] = store.ImportPerson{Name: p.Name, Email: p.Email}
	}
	evidence := 0
	for _, ph := range doc.Phases {
		p, ok := tpl.Phase(ph.Key)
		if !ok {
			return im, importRefused(fmt.Sprintf("This export has a phase %q that template %s version %d does not have.", ph.Key, tpl.ID, tpl.Version))
		}
		for _, a := range ph.Answers {
			ia, err := importAnswer(p, a)
			if err != nil {
				return im, err
			}
			if a.Version > 0 {
				im.Answers = append(im.Answers, ia)
			}
		}
		for _, c := range ph.Checkpoints {
			if cp, ok := tpl.Checkpoint(c.Key); !ok || cp.PhaseKey() != p.Key {
				return im, importRefused(fmt.Sprintf("This export has a checkpoint %q that phase %s of the template does not have.", c.Key, p.Key))
			}
			if c.Version > 0 {
				im.Confirmations = append(im.Confirmations, store.ImportConfirmation{Key: c.Key, Confirmed: c.Confirmed, EvidenceURL: c.EvidenceURL, Note: c.Note,
					Version: c.Version, By: c.UpdatedBy, At: deref(c.UpdatedAt)})
			}
			for _, e := range c.Evidence {
				evidence++
				ev, err := importEvidence(c.Key, e, files)
				if err != nil {
					return im, err
				}
				im.Evidence = append(im.Evidence, ev)
			}
		}
		if rv := ph.Review; rv != nil {
			switch rv.State {
			case assessment.ReviewNone, assessment.ReviewSubmitted, assessment.ReviewApproved, assessment.ReviewChangesRequested:
			default:
				return im, importRefused(fmt.Sprintf("Phase %s has a review state %q that Groundwork does not know.", p.Key, rv.State))
			}
			im.Reviews = append(im.Reviews, store.ImportReview{Phase: p.Key, State: rv.State, Waived: rv.Waived, Reason: rv.Reason, Comment: rv.Comment,
				Revision: rv.Revision, By: rv.By, At: rv.At})
		}
		for _, d := range ph.Decisions {
			id, err := importDecision(p, d)
			if err != nil {
				return im, err
			}
			im.Decisions = append(im.Decisions, id)
		}
		for _, t := range ph.Threads {
			it, err := importThread(p, t)
			if err != nil {
				return im, err
			}
			im.Threads = append(im.Threads, it)
		}
	}
	threads := map[string]bool{}
	for _, t := range im.Threads {
		threads[strconv.FormatInt(t.SourceID, 10)] = true
	}
	for _, a := range doc.Actions {
		ia, err := importAction(tpl, threads, a)
		if err != nil {
			return im, err
		}
		if ia.Owner != "" || !ia.Due.IsZero() {
			im.Actions = append(im.Actions, ia)
		}
	}
	if files == nil && evidence > 0 {
		return im, importRefused(fmt.Sprintf("This export lists %d evidence file%s, which export.json alone does not hold. Import the assessment's evidence pack (evidence.zip) instead.",
			evidence, plural(evidence)))
	}
	return im, nil
}

// importAnswer reads an answer in its export form (exportAnswer.Value)
// back into its stored form, refusing one the question does not accept.
func importAnswer(p *assessment.Phase, a exportAnswer) (store.ImportAnswer, error) {
	var q *assessment.Question
	for _, pq := range p.Questions {
		if pq.Key == a.Question {
			q = pq
		}
	}
	if q == nil {
		return store.ImportAnswer{}, importRefused(fmt.Sprintf("This export answers a question %q that phase %s of the template does not have.", a.Question, p.Key))
	}
	raw := ""
	switch v := bytes.TrimSpace(a.Value); {
	case len(v) == 0 || string(v) == "null":
	case v[0] == '"':
		if err := json.Unmarshal(v, &raw); err != nil {
			return store.ImportAnswer{}, importRefused(fmt.Sprintf("The answer to “%s” (phase %s) cannot be read.", q.Label, p.Key))
		}
	default:
		raw = string(v)
	}
	v, err := q.Decode(raw)
	if err == nil {
		err = q.Validate(v)
	}
	var invalid *assessment.ValidationError
	switch {
	case errors.As(err, &invalid):
		var probs []string
		for _, pr := range invalid.Problems {
			probs = append(probs, pr.Message)
		}
		return store.ImportAnswer{}, importRefused(fmt.Sprintf("The answer to “%s” (phase %s) is not one this template accepts: %s.", q.Label, p.Key, strings.Join(probs, "; ")))
	case err != nil:
		return store.ImportAnswer{}, importRefused(fmt.Sprintf("The answer to “%s” (phase %s) cannot be read.", q.Label, p.Key))
	}
	return store.ImportAnswer{Key: q.Key, Value: q.Encode(v), Version: a.Version, By: a.UpdatedBy, At: deref(a.UpdatedAt)}, nil
}

// importEvidence finds an evidence file in the pack; the store reads it
// and checks its digest.
func importEvidence(checkpoint string, e exportEvidence, files map[string]*zip.File) (store.ImportEvidence, error) {
	ev := store.ImportEvidence{Checkpoint: checkpoint, Filename: e.Filename, ContentType: e.ContentType, SHA256: strings.ToLower(e.SHA256), By: e.UploadedBy, At: e.UploadedAt}
	if files == nil {
		return ev, nil
	}
	zf, ok := files[e.File]
	if !ok || e.File == "" {
		return ev, importRefused(fmt.Sprintf("The evidence file “%s” is not in this zip file (at %s).", e.Filename, e.File))
	}
	ev.Open = func() ([]byte, error) {
		data, err := readZipFile(zf, store.MaxEvidenceBytes)
		if err != nil {
			return nil, err
		}
		ctype, problem := evidenceType(e.Filename, data)
		if problem != "" {
			return nil, importRefused(fmt.Sprintf("The evidence file “%s” is refused: %s", e.Filename, problem))
		}
		ev.ContentType = ctype
		return data, nil
	}
	return ev, nil
}

// importDecision reads a decision with its snapshot and digest (the store
// verifies that they match).
func importDecision(p *assessment.Phase, d exportDecision) (store.ImportDecision, error) {
	id := store.ImportDecision{Phase: p.Key, Revision: d.Revision, Action: d.Action, Reason: d.Reason, Questions: d.Questions, By: d.By, At: d.At}
	frozen := d.Action == store.ActionApproved || d.Action == store.ActionChangesRequested
	switch d.Action {
	case store.ActionSubmitted, store.ActionApproved, store.ActionChangesRequested, store.ActionReopened:
	default:
		return id, importRefused(fmt.Sprintf("Phase %s has a decision %q that Groundwork does not know.", p.Key, d.Action))
	}
	if d.Revision < 1 || frozen != (d.Snapshot != "") {
		return id, importRefused(fmt.Sprintf("Phase %s has a decision (%s) without its revision or snapshot.", p.Key, d.Action))
	}
	if frozen {
		digest, err := hex.DecodeString(d.SHA256)
		if err != nil || len(digest) != 32 {
			return id, importRefused(fmt.Sprintf("Phase %s's decision (%s, revision %d) has no valid SHA-256 digest.", p.Key, d.Action, d.Revision))
		}
		id.Snapshot, id.Digest = []byte(d.Snapshot), digest
	}
	return id, nil
}

// importThread reads a comment thread.
func importThread(p *assessment.Phase, t exportThread) (store.ImportThread, error) {
	it := store.ImportThread{SourceID: t.ID, Phase: p.Key, Question: t.Question, Kind: store.CommentKind(t.Kind), Marked: t.Marked, ResolvedBy: t.ResolvedBy}
	if t.Resolved {
		it.ResolvedAt = deref(t.ResolvedAt)
	}
	if (it.Kind != store.KindComment && it.Kind != store.KindChangeRequest) || len(t.Comments) == 0 {
		return it, importRefused(fmt.Sprintf("Phase %s has a comment thread Groundwork cannot read.", p.Key))
	}
	for _, c := range t.Comments {
		ic := store.ImportComment{Author: c.Author, Body: c.Body, CreatedAt: c.CreatedAt, EditedAt: deref(c.EditedAt)}
		for _, pv := range c.Previous {
			ic.Previous = append(ic.Previous, store.ImportCommentVersion{Body: pv.Body, ReplacedAt: pv.ReplacedAt})
		}
		it.Comments = append(it.Comments, ic)
	}
	return it, nil
}

// importAction reads what was set on an action item, refusing one about
// a checkpoint or rule the template does not have, or a thread the export
// does not hold (threads: their ids in the export), and an owner or due
// date the action list would not take.
func importAction(tpl *assessment.Template, threads map[string]bool, a exportAction) (store.ImportAction, error) {
	ia := store.ImportAction{Key: a.Item, Owner: strings.TrimSpace(a.Owner), By: a.UpdatedBy, At: a.UpdatedAt}
	refused := func(why string) error {
		return importRefused(fmt.Sprintf("This export has an action item “%s” %s.", a.Item, why))
	}
	if a.Due != "" {
		due, err := time.Parse(time.DateOnly, a.Due)
		if err != nil {
			return ia, refused(fmt.Sprintf("whose due date “%s” is not a date (YYYY-MM-DD)", a.Due))
		}
		ia.Due = due
	}
	if ia.At.IsZero() {
		ia.At = time.Now()
	}
	kind, item, _ := strings.Cut(a.Item, ":")
	switch kind {
	case store.ActionCheckpoint:
		if _, ok := tpl.Checkpoint(item); !ok {
			return ia, refused("about a checkpoint the template does not have")
		}
	case store.ActionRule:
		phase, rule, _ := strings.Cut(item, "/")
		p, ok := tpl.Phase(phase)
		if !ok || !slices.ContainsFunc(p.Rules, func(r *assessment.Rule) bool { return r.Key == rule }) {
			return ia, refused("about a rule the template does not have")
		}
	case store.ActionThread:
		if !threads[item] {
			return ia, refused("about a comment thread the export does not hold")
		}
	}
	switch err := store.CheckActionPlan(a.Item, ia.Owner, ia.Due); {
	case errors.Is(err, store.ErrBadActionKey):
		return ia, refused("that is not an item of the action list")
	case errors.Is(err, store.ErrOwnerTooLong):
		return ia, refused(fmt.Sprintf("whose owner is longer than %d characters", store.MaxOwnerChars))
	case errors.Is(err, store.ErrOwnerInvalid):
		return ia, refused("whose owner contains control characters")
	case errors.Is(err, store.ErrDueOutOfRange):
		return ia, refused("whose due date is out of range")
	case err != nil:
		return ia, err
	}
	return ia, nil
}

// deref is *t, or the zero time.
func deref[T any](t *T) T {
	var zero T
	if t == nil {
		return zero
	}
	return *t
}

// importWords says why the store refused an import.
func importWords(err error) (string, bool) {
	var ref *store.ImportRefusal
	if !errors.As(err, &ref) {
		return "", false
	}
	file := "The evidence file “" + ref.File + "”"
	switch {
	case errors.Is(err, store.ErrDigestMismatch), errors.Is(err, store.ErrNotCanonical):
		what := map[store.DecisionAction]string{store.ActionApproved: "approval", store.ActionChangesRequested: "request for changes"}[ref.Action]
		return fmt.Sprintf("The snapshot of the %s of phase %s (revision %d) does not match its SHA-256 digest: it has been changed since the decision, so the sign-off cannot be trusted. Nothing was imported.",
			cmp.Or(what, "decision"), ref.Phase, ref.Revision), true
	case errors.Is(err, store.ErrEvidenceDigest):
		return file + " does not match the SHA-256 its export.json names: the pack has been changed or damaged. Nothing was imported.", true
	case errors.Is(err, store.ErrFileTooLarge):
		return file + " is empty or larger than " + byteSize(store.MaxEvidenceBytes) + ". Nothing was imported.", true
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.msg, true
	}
	return file + " cannot be read from the zip file. Nothing was imported.", true
}
