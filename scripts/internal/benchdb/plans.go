package benchdb

import (
	"context"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/store"
)

// Plans is a store whose connections run auto_explain: PostgreSQL sends
// the EXPLAIN (ANALYZE, BUFFERS) plan of every query they run, and Plans
// keeps them.
type Plans struct {
	Store *store.Store
	pool  *pgxpool.Pool
	mu    sync.Mutex
	plans []string
}

// OpenPlans connects to dsn with auto_explain on every connection.
func OpenPlans(ctx context.Context, dsn string) (*Plans, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	p := &Plans{}
	params := cfg.ConnConfig.RuntimeParams
	params["session_preload_libraries"] = "auto_explain"
	params["auto_explain.log_min_duration"] = "0"
	params["auto_explain.log_analyze"] = "on"
	params["auto_explain.log_buffers"] = "on"
	params["auto_explain.log_timing"] = "on"
	params["auto_explain.log_level"] = "notice"
	cfg.ConnConfig.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		p.mu.Lock()
		p.plans = append(p.plans, n.Message)
		p.mu.Unlock()
	}
	p.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	p.Store = store.New(p.pool)
	return p, nil
}

// Reset forgets the plans kept so far.
func (p *Plans) Reset() {
	p.mu.Lock()
	p.plans = p.plans[:0]
	p.mu.Unlock()
}

// Take returns the plans kept since Reset, but those of the session
// look-up every page makes.
func (p *Plans) Take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, plan := range p.plans {
		if !strings.Contains(plan, "FROM sessions") {
			out = append(out, plan)
		}
	}
	return out
}

// Close closes the connections.
func (p *Plans) Close() { p.pool.Close() }

// Connect opens one connection to dsn, leaving out the pool settings
// (pool_max_conns...) a DATABASE_URL may carry for the server.
func Connect(ctx context.Context, dsn, applicationName string) (*pgx.Conn, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = applicationName
	return pgx.ConnectConfig(ctx, cfg.ConnConfig)
}
