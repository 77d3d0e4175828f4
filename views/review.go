package views

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// reviewRows are the review's rows: each question (or item of a list)
// with its answer and the links that change or remove it. Written in Go,
// like text, because the review is the hot path's page: templ would box
// and copy each of a row's attribute values and test ids.
type reviewRows []ReviewItem

// Render implements templ.Component.
func (rows reviewRows) Render(ctx context.Context, w io.Writer) error {
	for _, it := range rows {
		if err := it.render(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

// render writes one row of the review.
func (it ReviewItem) render(ctx context.Context, w io.Writer) error {
	if err := writeAll(w, `<div class="summary-row" data-testid="`); err != nil {
		return err
	}
	if err := it.writeTestID(w, "answer-"); err != nil {
		return err
	}
	if err := writeAll(w, `"><dt>`, templ.EscapeString(it.Label), `</dt><dd class="summary-value">`); err != nil {
		return err
	}
	if err := answerLines(it.Answer).Render(ctx, w); err != nil {
		return err
	}
	if err := writeAll(w, `</dd><dd class="summary-action">`); err != nil {
		return err
	}
	if err := it.writeLink(w, it.ChangeURL, "change-", "Change"); err != nil {
		return err
	}
	if err := writeAll(w, ` `); err != nil {
		return err
	}
	if it.RemoveURL != "" {
		if err := it.writeLink(w, it.RemoveURL, "remove-", "Remove"); err != nil {
			return err
		}
	}
	return writeAll(w, `</dd></div>`)
}

// writeLink writes the row's link to url: the visible text, then the
// row's label for screen readers.
func (it ReviewItem) writeLink(w io.Writer, url, testID, text string) error {
	if err := writeAll(w, `<a href="`, templ.EscapeString(url), `" data-testid="`); err != nil {
		return err
	}
	if err := it.writeTestID(w, testID); err != nil {
		return err
	}
	return writeAll(w, `">`, text, `<span class="visually-hidden"> `, templ.EscapeString(it.Label), `</span></a>`)
}

// writeTestID writes the row's test id after prefix, "answer-" + step +
// "-" + Key, escaped, without joining them first.
func (it ReviewItem) writeTestID(w io.Writer, prefix string) error {
	key := it.Field
	if key == "" {
		key = strconv.Itoa(it.Item) // no allocation below 100
	}
	return writeAll(w, prefix, templ.EscapeString(it.Step.Name), "-", templ.EscapeString(key))
}

// submitForm is the review's form that posts the answers to url, carrying
// the submission's id.
func submitForm(url, id string) submitFormOf { return submitFormOf{url, id} }

// submitFormOf is the review's submit form.
type submitFormOf struct{ url, id string }

// Render implements templ.Component.
func (f submitFormOf) Render(_ context.Context, w io.Writer) error {
	url := templ.EscapeString(f.url)
	return writeAll(w, `<form method="post" action="`, url, `" hx-post="`, url,
		`" hx-target="#step" hx-swap="outerHTML" hx-disable="find button"><input type="hidden" name="submission" value="`,
		templ.EscapeString(f.id), `"> <button type="submit" class="button" data-testid="submit">Submit</button></form>`)
}
