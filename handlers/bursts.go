package handlers

import (
	"fmt"
	"runtime"
	"time"

	"groundwork/assessment/sizing"
)

// Bursts: what a crowd of requests may cost at once. Measured with
// scripts/burst (32 sign-ins at once, 8 XLSX model requests at once).

// newHashGate bounds password hashing: each argon2id hash holds 19 MiB
// for about 35 ms of one core, so more hashes at once than cores only add
// memory (32 sign-ins at once took the server to 636 MB). Sign-ins beyond
// wait their turn, up to 5 s, which 32 at once need on 2 cores with room
// to spare; beyond that, or past 64 waiting, they get 503.
func newHashGate() *gate {
	g := newGate(runtime.GOMAXPROCS(0), 64, 5*time.Second,
		"Many people are signing in at this moment. Wait a few seconds and try again.")
	g.collect = true
	return g
}

// newModelGate bounds resource-model runs (the public API, the calculator
// and its downloads): two at a time, up to 8 more waiting up to 10 s.
func newModelGate() *gate {
	g := newGate(2, 8, 10*time.Second,
		"The sizing engine is busy with other requests. Wait a few seconds and try again.")
	g.collect = true
	return g
}

// modelRowBudget bounds the tables one request to a public model endpoint
// may ask for: scenarios (every combination of sets) × summary dates ×
// services. The engine's own limit (20,000 rows) is for the command line:
// one such config took 14 s and 740 MB of allocations to write as XLSX,
// and 8 such configs at once took the server to 3.2 GB. At 2,000 rows, 8 at
// once still peaked at 173-219 MB; 1,000 rows write in well under a second,
// and real configs have tens (Dimagi's eCHIS profile: 21).
const modelRowBudget = 1000

// parseModelConfig parses a resource-model config and refuses, before
// running it, one whose tables exceed modelRowBudget.
func parseModelConfig(data []byte) (*sizing.Config, error) {
	cfg, err := sizing.ParseConfig(data)
	if err != nil {
		return nil, err
	}
	scenarios := 1
	for _, g := range cfg.Sets {
		scenarios *= max(len(g.Items), 1)
	}
	dates := map[sizing.Month]bool{}
	for _, d := range cfg.SummaryDates {
		dates[d] = true
	}
	rows := scenarios * max(len(dates), 1) * len(cfg.Services)
	if rows > modelRowBudget {
		return nil, &sizing.FieldError{Field: "config", Problem: fmt.Sprintf(
			"asks for %d table rows (%d scenarios from sets × %d summary dates × %d services); the portal computes at most %d per request: use fewer sets, summary dates or services, or run it on your own machine with `server sizing commcare-model`",
			rows, scenarios, max(len(dates), 1), len(cfg.Services), modelRowBudget)}
	}
	return cfg, nil
}
