// Package assessment holds Groundwork's checkpoint catalog and gating
// engine: pure Go, no HTTP, no SQL.
//
// # Catalog
//
// Templates are YAML files embedded from templates/, one file per template
// version (CommCare HQ transition v1; OpenCRVS server-hosted v1 and v2).
// Embedded loads and validates them once; a broken template fails with its
// file and key named (see TemplateError). Assessments pin a template id and
// version (Catalog.Template), so later versions never change old answers.
// Templates, phases, questions and checkpoints carry JSON tags: a *Template
// encodes as the public API's template document, Catalog.Summaries as its
// list.
//
// # Answers
//
// A Value is a decoded answer; its stored form (Question.Encode,
// Question.Decode) is plain text for scalar types and JSON for multiple
// choice, person and table answers. Question.DecodeForm reads HTML form
// fields. Question.Validate checks one answer and returns a
// *ValidationError with a message per field or table cell.
//
// # Gating
//
// Template.Evaluate computes, from the answers, checkpoint confirmations,
// reviews and the sign-off setting, every phase's status, its blockers and
// warnings in words, and readiness scores. Nothing of it is stored: a
// changed answer reopens a phase and locks later ones by itself. Optional
// phases never hold later phases back; they can be completed or waived as
// not applicable with a reason. See Evaluate, Result.Blockers and the scoring
// notes in score.go.
//
// Evaluate is built for pages that call it on every request: indexes are
// made at load time, values are checked by hand-written validators without
// regular expressions, and a fully answered CommCare assessment evaluates
// with a handful of allocations.
package assessment
