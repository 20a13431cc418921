// Package fill holds the end-to-end tests of a program manager filling a
// phase: answers, tables, autosave and its retries, checkpoints, evidence,
// sessions that end while typing, renaming and archiving.
//
// Like the other packages under handlers/e2e, each test serves the portal
// over real HTTP on a database of its own and drives it from a tab of a
// real headless Chromium (handlers/browsertest), as a person would. The
// browser tests are split in packages of about the same running time so
// that each gets go test's time limit of its own: go test runs two
// packages at once on two cores, so each must stay well within half of it.
// There is nothing here but the tests.
package fill
