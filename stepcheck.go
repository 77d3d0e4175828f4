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

// CheckAll runs the checks of every step of a complete journey, in order,
// on the saved answers, as a submit does. It returns the first step whose
// checks find a problem, with the messages, or nil; or the error of a
// check that could not decide.
func (j *Journey) CheckAll(ctx context.Context) (*Step, []FieldError, error) {
	for _, s := range j.steps {
		errs, err := j.Check(ctx, s, j.answers[s.Name])
		if err != nil {
			return nil, nil, err
		}
		if len(errs) > 0 {
			return s, errs, nil
		}
	}
	return nil, nil, nil
}
