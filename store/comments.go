package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// CommentKind says what a thread is: a discussion, or an advisor's request
// for changes (whose text is the reason).
type CommentKind string

// The kinds of thread.
const (
	KindComment       CommentKind = "comment"
	KindChangeRequest CommentKind = "change_request"
)

// ErrEmptyComment refuses a comment with no text.
var ErrEmptyComment = errors.New("store: the comment is empty")

// MentionError refuses a comment that mentions (@name) somebody who has no
// access to the organisation, or nobody at all. Unknown lists the names as
// written, without the @.
type MentionError struct {
	Unknown []string
	// Meant are, by unknown name as written, the people one of whose
	// names starts with it ("@priya": Priya Manager, whose handle is pm).
	Meant map[string][]Person
}

func (e *MentionError) Error() string {
	return "store: nobody to mention as @" + strings.Join(e.Unknown, ", @")
}

// Comment is one comment of a thread.
type Comment struct {
	ID        int64
	AuthorID  int64 // 0 once the author's account is deleted
	Author    string
	Body      string
	CreatedAt time.Time
	EditedAt  time.Time        // zero: never edited
	Previous  []CommentVersion // the texts edits replaced, oldest first
	Mentions  []int64          // the people its text mentions
}

// Edited reports whether the comment was changed after it was posted.
func (c *Comment) Edited() bool { return !c.EditedAt.IsZero() }

// CommentVersion is an earlier text of an edited comment, and when an edit
// replaced it.
type CommentVersion struct {
	Body       string
	ReplacedAt time.Time
}

// Thread is a comment on a phase or one of its questions, with its
// replies, oldest first.
type Thread struct {
	Comment    // the first comment
	Kind       CommentKind
	Phase      string
	Question   string   // "" for the whole phase
	Questions  []string // a change request's marked questions
	ResolvedAt time.Time
	ResolvedBy string
	Replies    []Comment
}

// Resolved reports whether the thread is resolved.
func (t *Thread) Resolved() bool { return !t.ResolvedAt.IsZero() }

// NewComment is a comment to post: a thread's first (Thread 0) or a reply.
type NewComment struct {
	Phase    string
	Question string // "" for the whole phase; a reply takes its thread's
	Thread   int64
	Body     string
}

// CommentSaved is the outcome of posting or editing a comment.
type CommentSaved struct {
	ID     int64
	Thread int64 // the thread's first comment (ID itself for a new thread)
	// Mentioned are the people the text mentions who were not mentioned
	// before, the author aside: whom to notify.
	Mentioned []int64
}

// Person is somebody with access to an assessment: someone who can be
// mentioned in its comments (everyone with access to its organisation), or
// who changed it (in the audit trail, which knows only name and e-mail).
type Person struct {
	ID     int64
	Name   string
	Role   Role
	Email  string
	Handle string // what follows @ to mention them
}

// mentionPattern finds @handle where a mention may start (not inside an
// e-mail address): a handle is an e-mail address's local part, or a whole
// address.
var mentionPattern = regexp.MustCompile(`(?:^|[^\pL\pN_.@+-])(@[\pL\pN][\pL\pN._%+-]*(?:@[\pL\pN-]+(?:\.[\pL\pN-]+)+)?)`)

// FindMentions returns the byte ranges of the @mentions in text, @ included.
func FindMentions(text string) [][2]int {
	var out [][2]int
	for _, m := range mentionPattern.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[2], m[3]
		for end > start+1 && text[end-1] == '.' { // the end of a sentence
			end--
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

// mentioned resolves the mentions of text against the people who may be
// mentioned: the ids, each once, or a *MentionError naming the unknown.
func mentioned(text string, people []Person) ([]int64, error) {
	var ids []int64
	var unknown []string
	for _, r := range FindMentions(text) {
		name := strings.ToLower(text[r[0]+1 : r[1]])
		i := slices.IndexFunc(people, func(p Person) bool { return p.Handle == name || p.Email == name })
		switch {
		case i >= 0:
			if !slices.Contains(ids, people[i].ID) {
				ids = append(ids, people[i].ID)
			}
		case !slices.Contains(unknown, text[r[0]+1:r[1]]):
			unknown = append(unknown, text[r[0]+1:r[1]])
		}
	}
	if len(unknown) > 0 {
		e := &MentionError{Unknown: unknown, Meant: map[string][]Person{}}
		for _, u := range unknown {
			if meant := namedLike(u, people); len(meant) > 0 {
				e.Meant[u] = meant
			}
		}
		return nil, e
	}
	return ids, nil
}

// namedLike are the people one of whose names (the words of their name)
// starts with what was written after @, at least two letters of it.
func namedLike(written string, people []Person) []Person {
	w := strings.ToLower(written)
	if utf8.RuneCountInString(w) < 2 {
		return nil
	}
	var out []Person
	for _, p := range people {
		words := strings.FieldsFunc(strings.ToLower(p.Name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if slices.ContainsFunc(words, func(word string) bool { return strings.HasPrefix(word, w) }) {
			out = append(out, p)
		}
	}
	return out
}

// checkBody refuses an empty or too long text.
func checkBody(body string) error {
	switch {
	case body == "":
		return ErrEmptyComment
	case len([]rune(body)) > MaxCommentChars:
		return ErrCommentTooLong
	}
	return nil
}

// commentKey names a comment in the history: its phase and id.
func commentKey(phase string, id int64) string { return phase + "#" + strconv.FormatInt(id, 10) }

// peopleOf selects the people who may be mentioned on the organisation
// that org (an SQL expression over the tables from adds) names: those who
// can see it.
func peopleOf(org, from string) string {
	return `SELECT act.id, act.name, act.role, act.email FROM users act` + from + ` WHERE act.active AND ` + actorSees(org) + ` ORDER BY act.name, act.id`
}

// collectPeople reads peopleOf's rows and gives everyone a handle: the
// local part of their e-mail address, or the whole address when another
// person shares that local part.
func collectPeople(rows pgx.Rows) ([]Person, error) {
	people, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Person, error) {
		var p Person
		err := r.Scan(&p.ID, &p.Name, &p.Role, &p.Email)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	local := func(email string) string { return email[:max(0, strings.LastIndexByte(email, '@'))] }
	for i := range people {
		people[i].Handle = local(people[i].Email)
		for j := range people {
			if j != i && local(people[j].Email) == people[i].Handle {
				people[i].Handle = people[i].Email
			}
		}
	}
	return people, nil
}

// mentionableOf selects the people who can be mentioned on the
// assessment $2 that the actor $1 may see (collectPeople reads them).
var mentionableOf = `WITH o AS (
		SELECT a.organisation_id FROM assessments a JOIN users act ON act.id = $1 AND act.active
		WHERE a.id = $2 AND ` + actorSees("a.organisation_id") + `)
	` + peopleOf("o.organisation_id", ", o")

// Mentionable lists the people who can be mentioned on an assessment the
// actor may see (none otherwise), by name.
func (s *Store) Mentionable(ctx context.Context, actorID, id int64) ([]Person, error) {
	rows, err := s.pool.Query(ctx, mentionableOf, actorID, id)
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", id, err)
	}
	people, err := collectPeople(rows)
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", id, err)
	}
	return people, nil
}

// commentsOf is the condition picking the comments c of the assessment $1
// that the actor $2 may see, of the phase $3 (” for every phase).
var commentsOf = `c.assessment_id = $1 AND ($3 = '' OR c.phase_key = $3) AND EXISTS (
	SELECT 1 FROM assessments a JOIN users act ON act.id = $2 AND act.active
	WHERE a.id = $1 AND ` + actorSees("a.organisation_id") + `)`

// Threads returns the comment threads of an assessment the actor may see,
// on one phase (or on every phase, for ""), oldest first, each with its
// replies and the earlier texts of edited comments.
func (s *Store) Threads(ctx context.Context, actorID, id int64, phase string) ([]Thread, error) {
	b := &pgx.Batch{}
	queueThreads(b, actorID, id, phase)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	threads, err := readThreads(br)
	if err != nil {
		return nil, fmt.Errorf("store: comments of %d: %w", id, err)
	}
	return threads, nil
}

// queueThreads queues the two SELECTs that readThreads reads: the
// comments, and the earlier texts of the edited ones.
func queueThreads(b *pgx.Batch, actorID, id int64, phase string) {
	b.Queue(`SELECT c.id, coalesce(c.thread_id, 0), c.kind, c.phase_key, c.question_key, c.question_keys, c.body,
			coalesce(c.author_id, 0), `+nameOf("c.author_id")+`, c.created_at, c.edited_at, c.resolved_at, `+nameOf("c.resolved_by")+`,
			ARRAY(SELECT m.user_id FROM comment_mentions m WHERE m.comment_id = c.id ORDER BY m.user_id)
		FROM comments c WHERE `+commentsOf+` ORDER BY c.id`, id, actorID, phase)
	b.Queue(`SELECT e.comment_id, e.body, e.replaced_at FROM comment_edits e JOIN comments c ON c.id = e.comment_id
		WHERE `+commentsOf+` ORDER BY e.id`, id, actorID, phase)
}

// readThreads reads the results of queueThreads.
func readThreads(br pgx.BatchResults) ([]Thread, error) {
	var threads []Thread
	at := map[int64]int{} // thread id -> index in threads
	var c Comment
	var t Thread
	var thread int64
	var edited, resolved *time.Time
	err := forEach(br, []any{&c.ID, &thread, &t.Kind, &t.Phase, &t.Question, &t.Questions, &c.Body,
		&c.AuthorID, &c.Author, &c.CreatedAt, &edited, &resolved, &t.ResolvedBy, &c.Mentions}, func() {
		c.EditedAt = zeroIfNil(edited)
		if thread == 0 {
			t.Comment, t.ResolvedAt = c, zeroIfNil(resolved)
			at[c.ID] = len(threads)
			threads = append(threads, t)
		} else if i, ok := at[thread]; ok {
			threads[i].Replies = append(threads[i].Replies, c)
		}
		c, t = Comment{}, Thread{}
	})
	if err != nil {
		return nil, err
	}
	all := map[int64]*Comment{} // every comment, for its earlier texts
	for i := range threads {
		all[threads[i].ID] = &threads[i].Comment
		for j := range threads[i].Replies {
			all[threads[i].Replies[j].ID] = &threads[i].Replies[j]
		}
	}
	var cid int64
	var v CommentVersion
	err = forEach(br, []any{&cid, &v.Body, &v.ReplacedAt}, func() {
		if c, ok := all[cid]; ok {
			c.Previous = append(c.Previous, v)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("edits: %w", err)
	}
	return threads, nil
}

func zeroIfNil(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// AddComment posts a comment on a phase or one of its questions, or a
// reply to a thread, as the actor: a program manager of the organisation,
// an assigned advisor or an admin (ErrForbidden for viewers). A thread
// not on this assessment's phase is ErrNotFound.
func (s *Store) AddComment(ctx context.Context, actorID, id int64, tpl *assessment.Template, n NewComment) (CommentSaved, error) {
	var out CommentSaved
	_, err := s.change(ctx, actorID, id, tpl, toComment, func(e *edit) error {
		nc := newComment{kind: KindComment, phase: n.Phase, question: n.Question, thread: n.Thread, body: n.Body}
		if n.Thread != 0 {
			var phase string
			err := e.tx.QueryRow(ctx, `SELECT phase_key, question_key FROM comments WHERE id = $1 AND assessment_id = $2 AND thread_id IS NULL`,
				n.Thread, e.st.ID).Scan(&phase, &nc.question)
			if errors.Is(err, pgx.ErrNoRows) || (err == nil && phase != n.Phase) {
				return fmt.Errorf("store: %w: thread %d of phase %s", ErrNotFound, n.Thread, n.Phase)
			}
			if err != nil {
				return err
			}
		} else if err := checkTarget(tpl, n.Phase, n.Question); err != nil {
			return err
		}
		var err error
		if out, err = e.addComment(ctx, nc); err != nil {
			return err
		}
		return e.notify(ctx, NotifyMentioned, out.Mentioned, n.Phase, excerpt(nc.body), out.ID)
	})
	return out, err
}

// excerpt is the start of a comment, for a notification.
func excerpt(body string) string {
	body = strings.TrimSpace(body)
	if r := []rune(body); len(r) > 280 {
		return string(r[:279]) + "…"
	}
	return body
}

// checkTarget checks that the phase exists and the question, if any, is
// one of it.
func checkTarget(tpl *assessment.Template, phase, question string) error {
	if _, ok := tpl.Phase(phase); !ok {
		return fmt.Errorf("store: %w: phase %s", ErrNotFound, phase)
	}
	if q, ok := tpl.Question(question); question != "" && (!ok || q.PhaseKey() != phase) {
		return fmt.Errorf("store: %w: question %q of phase %s", ErrNotFound, question, phase)
	}
	return nil
}

// newComment is a comment to insert, checked already but for its text.
type newComment struct {
	kind            CommentKind
	phase, question string
	thread          int64
	questions       []string // a change request's
	body            string
}

// addComment inserts a comment (or a change request's reason) with its
// mentions and its history entry.
func (e *edit) addComment(ctx context.Context, n newComment) (CommentSaved, error) {
	n.body = assessment.CleanText(n.body)
	if err := checkBody(n.body); err != nil {
		return CommentSaved{}, err
	}
	ids, err := e.mentions(ctx, n.body)
	if err != nil {
		return CommentSaved{}, err
	}
	out := CommentSaved{Thread: n.thread}
	var thread *int64
	if n.thread != 0 {
		thread = &n.thread
	}
	err = e.tx.QueryRow(ctx, `INSERT INTO comments (assessment_id, phase_key, question_key, thread_id, kind, question_keys, body, author_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		e.st.ID, n.phase, n.question, thread, n.kind, append([]string{}, n.questions...), n.body, e.actor).Scan(&out.ID)
	if err != nil {
		return CommentSaved{}, fmt.Errorf("store: add comment to %d: %w", e.st.ID, err)
	}
	if out.Thread == 0 {
		out.Thread = out.ID
	}
	if len(ids) > 0 {
		e.queue(`INSERT INTO comment_mentions (comment_id, user_id) SELECT $1, unnest($2::bigint[])`, out.ID, ids)
	}
	out.Mentioned = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == e.actor })
	what := n.body
	if n.kind == KindChangeRequest {
		what = "changes requested: " + n.body
	}
	e.history("comment", commentKey(n.phase, out.ID), 0, nil, what)
	e.touch()
	return out, nil
}

// mentions resolves the mentions of text against the people of the
// assessment's organisation.
func (e *edit) mentions(ctx context.Context, text string) ([]int64, error) {
	if len(FindMentions(text)) == 0 {
		return nil, nil
	}
	rows, err := e.tx.Query(ctx, peopleOf("$1", ""), e.st.OrganisationID)
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", e.st.ID, err)
	}
	people, err := collectPeople(rows)
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", e.st.ID, err)
	}
	return mentioned(text, people)
}

// EditComment replaces the text of the actor's own comment on the phase
// (ErrForbidden for anybody else's), keeping the earlier text and marking
// the comment edited. The actor must still be allowed to comment.
func (s *Store) EditComment(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, commentID int64, body string) (CommentSaved, error) {
	var out CommentSaved
	_, err := s.change(ctx, actorID, id, tpl, toComment, func(e *edit) error {
		var old string
		var author, thread int64
		var before []int64
		var edits int
		err := e.tx.QueryRow(ctx, `SELECT body, coalesce(author_id, 0), coalesce(thread_id, id),
				ARRAY(SELECT m.user_id FROM comment_mentions m WHERE m.comment_id = c.id),
				(SELECT count(*) FROM comment_edits ce WHERE ce.comment_id = c.id)
			FROM comments c WHERE id = $1 AND assessment_id = $2 AND phase_key = $3 FOR UPDATE`,
			commentID, e.st.ID, phase).Scan(&old, &author, &thread, &before, &edits)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("store: %w: comment %d of phase %s", ErrNotFound, commentID, phase)
		}
		if err != nil {
			return fmt.Errorf("store: comment %d: %w", commentID, err)
		}
		if author != e.actor {
			return ErrForbidden
		}
		body = assessment.CleanText(body)
		if err := checkBody(body); err != nil {
			return err
		}
		out = CommentSaved{ID: commentID, Thread: thread}
		if body == old {
			return nil
		}
		ids, err := e.mentions(ctx, body)
		if err != nil {
			return err
		}
		e.queue(`INSERT INTO comment_edits (comment_id, body) VALUES ($1, $2)`, commentID, old)
		e.queue(`UPDATE comments SET body = $2, edited_at = now() WHERE id = $1`, commentID, body)
		e.queue(`DELETE FROM comment_mentions WHERE comment_id = $1`, commentID)
		if len(ids) > 0 {
			e.queue(`INSERT INTO comment_mentions (comment_id, user_id) SELECT $1, unnest($2::bigint[])`, commentID, ids)
		}
		out.Mentioned = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == e.actor || slices.Contains(before, id) })
		e.history("comment", commentKey(phase, commentID), edits+1, &old, body)
		e.touch()
		return e.notify(ctx, NotifyMentioned, out.Mentioned, phase, excerpt(body), commentID)
	})
	return out, err
}

// ResolveThread resolves a thread on the phase, or reopens it (resolve
// false): a program manager or an assigned advisor may (ErrForbidden for
// others who can see it). Resolving a resolved thread changes nothing.
func (s *Store) ResolveThread(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, threadID int64, resolve bool) error {
	_, err := s.change(ctx, actorID, id, tpl, toResolve, func(e *edit) error {
		var resolved bool
		err := e.tx.QueryRow(ctx, `SELECT resolved_at IS NOT NULL FROM comments
			WHERE id = $1 AND assessment_id = $2 AND phase_key = $3 AND thread_id IS NULL FOR UPDATE`,
			threadID, e.st.ID, phase).Scan(&resolved)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("store: %w: thread %d of phase %s", ErrNotFound, threadID, phase)
		}
		if err != nil {
			return fmt.Errorf("store: thread %d: %w", threadID, err)
		}
		if resolved == resolve {
			return nil
		}
		if resolve {
			e.queue(`UPDATE comments SET resolved_at = now(), resolved_by = $2 WHERE id = $1`, threadID, e.actor)
			e.history("comment", commentKey(phase, threadID), 0, optional("open", true), "resolved")
		} else {
			e.queue(`UPDATE comments SET resolved_at = NULL, resolved_by = NULL WHERE id = $1`, threadID)
			e.history("comment", commentKey(phase, threadID), 0, optional("resolved", true), "reopened")
		}
		e.touch()
		return nil
	})
	return err
}
