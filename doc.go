// Package wizard is the engine of a multi-step form wizard: wizards, steps,
// fields and their rules, the journey a user takes through the steps, and the
// validation of what they answer. It knows nothing of HTTP, sessions or HTML;
// the views and handlers packages adapt it to the web.
//
// A Wizard is a named list of Steps. A Step holds Fields and may decide which
// step follows it from the answers given so far (branching). The Journey is
// recomputed from the Answers on every call, so answers to steps that have
// left the journey are simply ignored.
//
// Wizards are plain data, written in Go or loaded from definition files
// (package definition). Where data is not enough, Go code extends them: a
// step's Next may be a function, a field's OptionsFunc computes its
// options, a FieldType reads and checks a field of the program's own
// (a postcode, a date in three inputs), and a Check looks at a step's
// answers together, with the request's context (an end date after a
// start date; an email address not yet registered).
package wizard
