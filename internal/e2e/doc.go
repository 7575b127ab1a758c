// Package e2e holds SoulSeer's end-to-end browser tests: the whole app on a
// real database, driven through headless Chromium the way its clients,
// readers and admins use it. With SOULSEER_SCREENSHOTS=1 they also photograph
// the main pages for the README (docs/screenshots/).
//
// The stories live in the packages below this one, grouped so that each
// test binary stays well inside go test's per-package time limit; run them
// all with `go test ./internal/e2e/...`. This package is what they share:
// the run of a story on every engine and the steps more than one of them
// takes.
package e2e
