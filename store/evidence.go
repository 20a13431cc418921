package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// MaxEvidenceBytes bounds one evidence file.
const MaxEvidenceBytes = 10 << 20

// Refusals of an evidence file, for the handlers to put in words.
var (
	ErrEmptyFile    = errors.New("store: the evidence file is empty")
	ErrFileTooLarge = errors.New("store: the evidence file is larger than MaxEvidenceBytes")
)

// AddEvidence stores a file as evidence for a checkpoint.
func (s *Store) AddEvidence(ctx context.Context, actorID, id int64, tpl *assessment.Template, checkpoint, filename, contentType string, data []byte) (Evidence, error) {
	cp, ok := tpl.Checkpoint(checkpoint)
	if !ok {
		return Evidence{}, fmt.Errorf("store: %w: checkpoint %q", ErrNotFound, checkpoint)
	}
	switch {
	case len(data) == 0:
		return Evidence{}, ErrEmptyFile
	case len(data) > MaxEvidenceBytes:
		return Evidence{}, ErrFileTooLarge
	}
	filename = cleanFilename(filename)
	ev := Evidence{CheckpointKey: checkpoint, Filename: filename, ContentType: contentType, Size: len(data)}
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		if err := e.checkGate(cp.PhaseKey()); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ev.SHA256 = hex.EncodeToString(sum[:])
		if err := e.tx.QueryRow(ctx, `
			INSERT INTO evidence (assessment_id, checkpoint_key, filename, content_type, size, sha256, data, uploaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, uploaded_at`,
			id, checkpoint, filename, contentType, len(data), sum[:], data, actorID).Scan(&ev.ID, &ev.UploadedAt); err != nil {
			return fmt.Errorf("store: add evidence: %w", err)
		}
		e.history("evidence", checkpoint, 0, nil, fmt.Sprintf("added %s (%d bytes)", filename, len(data)))
		e.edited(cp.PhaseKey())
		return nil
	})
	return ev, err
}

// DeleteEvidence removes an evidence file.
func (s *Store) DeleteEvidence(ctx context.Context, actorID, id int64, tpl *assessment.Template, evidenceID int64) error {
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		var ev *Evidence
		for _, list := range e.st.Evidence {
			for i := range list {
				if list[i].ID == evidenceID {
					ev = &list[i]
				}
			}
		}
		if ev == nil {
			return ErrNotFound
		}
		cp, ok := tpl.Checkpoint(ev.CheckpointKey)
		if !ok {
			return ErrNotFound
		}
		if err := e.checkGate(cp.PhaseKey()); err != nil {
			return err
		}
		e.queue(`DELETE FROM evidence WHERE id = $1 AND assessment_id = $2`, evidenceID, id)
		e.history("evidence", ev.CheckpointKey, 0, optional(ev.Filename, true), "removed "+ev.Filename)
		e.edited(cp.PhaseKey())
		return nil
	})
	return err
}

// EvidenceFile returns an evidence file of an assessment the actor may see.
func (s *Store) EvidenceFile(ctx context.Context, actorID, id, evidenceID int64) (Evidence, []byte, error) {
	var ev Evidence
	var data []byte
	err := s.pool.QueryRow(ctx, `
		SELECT e.id, e.checkpoint_key, e.filename, e.content_type, e.size, coalesce(u.name, ''), e.uploaded_at, e.data
		FROM evidence e JOIN assessments a ON a.id = e.assessment_id LEFT JOIN users u ON u.id = e.uploaded_by
		WHERE e.id = $3 AND e.assessment_id = $2 AND `+canSeeOrg("$1", "a.organisation_id"), actorID, id, evidenceID).
		Scan(&ev.ID, &ev.CheckpointKey, &ev.Filename, &ev.ContentType, &ev.Size, &ev.UploadedBy, &ev.UploadedAt, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Evidence{}, nil, ErrNotFound
	}
	if err != nil {
		return Evidence{}, nil, fmt.Errorf("store: evidence %d: %w", evidenceID, err)
	}
	return ev, data, nil
}

// cleanFilename keeps the base name and drops characters that have no
// place in a file name or a header.
func cleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune { // also turns invalid UTF-8 into U+FFFD
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		name = "evidence"
	}
	if len(name) > 200 {
		// Keep the end, where the extension is, cut at a character
		// boundary: half a character is invalid UTF-8 to PostgreSQL.
		i := len(name) - 200
		for i < len(name) && !utf8.RuneStart(name[i]) {
			i++
		}
		name = name[i:]
	}
	return name
}

// Change is one entry of an item's history.
type Change struct {
	Version int
	Old     *string // nil: there was nothing before
	New     string
	By      string
	At      time.Time
}

// History returns the changes of one item (kind "answer", "checkpoint",
// "phase" or "evidence"), newest first.
func (s *Store) History(ctx context.Context, actorID, id int64, kind, key string) ([]Change, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT h.version, h.old_value, h.new_value, coalesce(u.name, h.actor_name), h.changed_at
		FROM history h JOIN assessments a ON a.id = h.assessment_id LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.assessment_id = $2 AND h.kind = $3 AND h.item_key = $4 AND `+canSeeOrg("$1", "a.organisation_id")+`
		ORDER BY h.id DESC LIMIT 1000`, actorID, id, kind, key)
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Change, error) {
		var c Change
		err := r.Scan(&c.Version, &c.Old, &c.New, &c.By, &c.At)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	return list, nil
}

// evidenceChunk is how many bytes CopyEvidence reads per query.
const evidenceChunk = 1 << 20

// CopyEvidence writes the content of an evidence file of an assessment the
// actor may see to w, a chunk of at most 1 MiB per query, so that a pack of
// many large files never holds more than one chunk in memory; it returns
// how many bytes it wrote. ErrNotFound when the actor may not see the file
// or it was deleted before the first chunk; a file deleted meanwhile ends
// the copy with ErrNotFound too (evidence is never changed in place, so
// the chunks are all of one content).
func (s *Store) CopyEvidence(ctx context.Context, actorID, id, evidenceID int64, w io.Writer) (int64, error) {
	var written int64
	var chunk []byte
	for {
		var size int64
		err := s.pool.QueryRow(ctx, `
			SELECT e.size, substring(e.data FROM $4 FOR $5)
			FROM evidence e JOIN assessments a ON a.id = e.assessment_id
			WHERE e.id = $3 AND e.assessment_id = $2 AND `+canSeeOrg("$1", "a.organisation_id"),
			actorID, id, evidenceID, written+1, evidenceChunk).Scan(&size, &chunk)
		if errors.Is(err, pgx.ErrNoRows) {
			return written, ErrNotFound
		}
		if err != nil {
			return written, fmt.Errorf("store: evidence %d: %w", evidenceID, err)
		}
		n, err := w.Write(chunk)
		written += int64(n)
		if err != nil {
			return written, err
		}
		if len(chunk) < evidenceChunk || written >= size {
			return written, nil
		}
	}
}
