// Package e2e proves the wizard in a real browser: its tests drive Chromium
// with chromedp against the real handler on 127.0.0.1, clicking and typing
// as a person would, and check every page with axe-core for WCAG 2.2 A and
// AA violations.
//
// The browser, the tab helpers and axe-core come from
// internal/browsertest, which examples/embed's tests share. The tests
// share one browser process (a launch costs seconds); each test has its
// own server, its own tab and its own browser context, so cookies never
// leak from one test to another. Without Chromium the tests skip, and fail
// when CI=true. With WIZARD_SCREENSHOTS=dir, TestScreenshots writes the
// pictures of the README to dir (see `make screenshots`).
//
// The package has no code besides its tests.
package e2e
