package handlers

import (
	"context"
	"log/slog"
)

// Every line logged during a request names the request, and the signed-in
// user and their organisation, so that one person's trouble can be
// followed through the log: the requestID middleware puts a requestLog in
// the context, authenticate fills in the user, and requestLogHandler adds
// them to each record logged with that context (h.log.InfoContext(ctx,
// ...), never h.log.Info).

// requestLog is what every line logged during a request carries. It is
// written before the rest of the request runs (the id by requestID, the
// user by authenticate), then only read.
type requestLog struct {
	id     string
	userID int64
	org    string // the user's organisation's slug; "" for advisors and admins
}

type requestLogKey struct{}

func requestLogFrom(ctx context.Context) *requestLog {
	l, _ := ctx.Value(requestLogKey{}).(*requestLog)
	return l
}

// requestIDFrom returns the request's id, or "".
func requestIDFrom(ctx context.Context) string {
	if l := requestLogFrom(ctx); l != nil {
		return l.id
	}
	return ""
}

// requestLogHandler adds the request's id, user id and organisation to
// every record logged with a request's context.
type requestLogHandler struct{ slog.Handler }

// withRequests wraps a logger so that its lines name the request they
// were logged for.
func withRequests(l *slog.Logger) *slog.Logger {
	if _, ok := l.Handler().(requestLogHandler); ok {
		return l
	}
	return slog.New(requestLogHandler{l.Handler()})
}

func (h requestLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if l := requestLogFrom(ctx); l != nil {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", l.id))
		if l.userID != 0 {
			r.AddAttrs(slog.Int64("user_id", l.userID))
		}
		if l.org != "" {
			r.AddAttrs(slog.String("organisation", l.org))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestLogHandler{h.Handler.WithAttrs(as)}
}

func (h requestLogHandler) WithGroup(name string) slog.Handler {
	return requestLogHandler{h.Handler.WithGroup(name)}
}
