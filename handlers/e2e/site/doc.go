// Package site holds the end-to-end tests of the portal around the
// assessments: every page at two widths, invitations, signing in and out,
// sessions, the audit trail, the template catalog, the administrator's
// organisations and the home page. See package fill for how the browser
// tests are arranged. There is nothing here but the tests.
package site
