package wizard

import (
	"context"
	"fmt"
)

// CheckFunc checks a step's answers together, once each field has passed
// its own rules: "the end date is after the start date", or "this email
// address is already registered", asked of a database. values are the
// step's answers as Validate cleaned them; a are the answers of the
// journey's steps. It returns messages about fields of the step, or an
// error when it could not decide (the database did not answer): that is
// not the user's fault, so their answers are kept and they are asked to
// try again. ctx is the request's, with a deadline: a check that calls out
// must give up when ctx ends.
type CheckFunc func(ctx context.Context, values Values, a Answers) ([]FieldError, error)

// Check is a check of a step's answers that the rules of single fields
// cannot express (see CheckFunc). A step's checks run in order when the
// user saves the step and again at the submit, which a failing check
// sends back to its step.
type Check struct {
	// Name names the check in logs and errors, and in definition files,
	// where a step or field names a check the program registered.
	Name string
	// Field, when set, is the field of the step the check is about: a
	// message with no Field is about this one. Unset, such a message is
	// about the step's first field.
	Field string
	Func  CheckFunc
}

// Check runs the checks of step s on its cleaned values (from Validate,
// without errors), with the answers of the journey. It returns the
// messages, at most one per field, in the step's field order; messages
// about fields the step does not have go to the check's field (or the
// step's first). The error, when a check could not decide, names it.
func (j *Journey) Check(ctx context.Context, s *Step, values Values) ([]FieldError, error) {
	if len(s.Checks) == 0 {
		return nil, nil
	}
	msgs := map[string]string{}
	for _, c := range s.Checks {
		errs, err := c.Func(ctx, values, j.answers)
		if err != nil {
			return nil, fmt.Errorf("check %q of step %q: %w", c.Name, s.Name, err)
		}
		for _, e := range errs {
			field := e.Field
			if s.Field(field) == nil {
				field = c.Field
			}
			if s.Field(field) == nil && len(s.Fields) > 0 {
				field = s.Fields[0].Name
			}
			if _, ok := msgs[field]; !ok && e.Message != "" {
				msgs[field] = e.Message
			}
		}
	}
	var out []FieldError
	for _, f := range s.Fields {
		if m, ok := msgs[f.Name]; ok {
			out = append(out, FieldError{Field: f.Name, Message: m})
		}
	}
	return out, nil
}

// Failed is where CheckAll found a problem: the step, the item of a
// repeating step (its number from 1; 0 for other steps), the answers
// checked and the messages.
type Failed struct {
	Step   *Step
	Item   int
	Values Values
	Errors []FieldError
}

// CheckAll runs the checks of every step of a complete journey, in order,
// on the saved answers (of each item, on a repeating step), as a submit
// does. It returns the first step or item whose checks find a problem, or
// nil; or the error of a check that could not decide.
func (j *Journey) CheckAll(ctx context.Context) (*Failed, error) {
	for _, s := range j.steps {
		if len(s.Checks) == 0 {
			continue
		}
		saved := j.answers[s.Name]
		if s.Repeat == nil {
			errs, err := j.Check(ctx, s, saved)
			if err != nil || len(errs) > 0 {
				return failed(s, 0, saved, errs), err
			}
			continue
		}
		for i, id := range saved.Items() {
			item := saved.Item(id)
			errs, err := j.Check(ctx, s, item)
			if err != nil || len(errs) > 0 {
				return failed(s, i+1, item, errs), err
			}
		}
	}
	return nil, nil
}

// failed is CheckAll's answer for checks that erred or found problems.
func failed(s *Step, item int, values Values, errs []FieldError) *Failed {
	if len(errs) == 0 {
		return nil
	}
	return &Failed{Step: s, Item: item, Values: values, Errors: errs}
}
