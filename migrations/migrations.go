// Package migrations holds the database schema as golang-migrate SQL files,
// embedded in the binary. Every up file has a down file that undoes it.
package migrations

import "embed"

// FS holds the NNNNNN_title.up.sql and .down.sql files.
//
//go:embed *.sql
var FS embed.FS
