//go:build race

package main

// raceDetector reports whether the tests (and the server they run from
// the same binary) are built with the race detector, which multiplies
// memory use.
const raceDetector = true
