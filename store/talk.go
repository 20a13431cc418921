package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// PhaseTalk is what a phase's page shows beside its answers: the decisions
// on the phase, its comment threads and, for those who may comment, the
// people they can mention.
type PhaseTalk struct {
	Decisions []PhaseDecision
	Threads   []Thread
	People    []Person // only when asked for
}

// PhaseTalk reads a phase's decisions, threads and (people: true) the
// people who can be mentioned on an assessment the actor may see, in one
// round trip; each query is scoped to what the actor may see.
func (s *Store) PhaseTalk(ctx context.Context, actorID, id int64, phase string, people bool) (*PhaseTalk, error) {
	b := &pgx.Batch{}
	b.Queue(decisionsOf, actorID, id, phase)
	queueThreads(b, actorID, id, phase)
	if people {
		b.Queue(mentionableOf, actorID, id)
	}
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	t := &PhaseTalk{}
	rows, err := br.Query()
	if err == nil {
		t.Decisions, err = collectDecisions(rows)
	}
	if err == nil {
		t.Threads, err = readThreads(br)
	}
	if err == nil && people {
		if rows, err = br.Query(); err == nil {
			t.People, err = collectPeople(rows)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: decisions and comments of %d, phase %s: %w", id, phase, err)
	}
	return t, nil
}
