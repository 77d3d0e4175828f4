// Package browsertest drives headless Chromium with chromedp for the
// browser tests of this module (e2e and examples/embed): one shared browser
// per test binary, a Page per test with helpers that act as a person
// would (open, fill, click, submit, wait), and an axe-core check of a
// page against WCAG 2.2 A and AA.
//
// Each Page has its own tab in its own browser context, so cookies never
// leak from one test to another. Chromium is looked for as
// /usr/bin/chromium, chromium, chromium-browser or google-chrome, or where
// WIZARD_CHROMIUM says. Without it a test skips, and fails when CI=true.
//
// A test package holds one Browser, which its TestMain closes:
//
//	var chrome browsertest.Browser
//
//	func TestMain(m *testing.M) { browsertest.Main(m, &chrome) }
package browsertest
