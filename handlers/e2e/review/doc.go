// Package review holds the end-to-end tests of the work around a phase:
// submitting, the advisor's review and comments, action items,
// notifications, the lists, the report and its PDF, exports and imports,
// and the sizing calculator. See package fill for how the browser tests
// are arranged. There is nothing here but the tests.
package review
