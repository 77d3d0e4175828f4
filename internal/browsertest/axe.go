package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored as test data (see testdata/README.md).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rule sets the pages must pass: WCAG 2.0, 2.1 and 2.2, at
// levels A and AA (WCAG 2.2 adds AA rules only).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeViolation is one rule a page breaks, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t\t%s: %s\n\t\t\t%s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n\t\t\t"))
	}
	return b.String()
}

// WantNoAxeViolations runs axe-core in the page as it is now and fails the
// test, listing them, if any WCAG 2.2 A or AA rule is broken. DevTools
// evaluation is not subject to the page's Content-Security-Policy, so axe
// runs although the page allows no inline script.
func (p *Page) WantNoAxeViolations(what string) {
	p.T.Helper()
	if !Eval[bool](p, `typeof window.axe === "object"`) {
		p.Do("inject axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	}
	tags, _ := json.Marshal(axeTags)
	raw, err := chromedp.Run(p.Ctx, chromedp.Evaluate[[]byte](`axe.run(document, {
			runOnly: {type: "tag", values: `+string(tags)+`},
			resultTypes: ["violations"],
		}).then(r => r.violations.map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
		})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.T.Fatalf("%s: run axe-core: %v", what, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal(raw, &violations); err != nil {
		p.T.Fatalf("%s: axe-core result %s: %v", what, raw, err)
	}
	for _, v := range violations {
		p.T.Errorf("%s (%s): axe: %s", what, p.Path(), v)
	}
}
