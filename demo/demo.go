// Package demo holds the wizards the server offers when it is given no
// definitions of its own: the classic example of libmicrohttpd's sessions
// tutorial and a conference registration with branching. They are
// definition files (forms/*.yaml) embedded in the binary, loaded like any
// other.
package demo

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

//go:embed forms/*.yaml
var forms embed.FS

// Forms returns the directory of the demo's definition files.
func Forms() fs.FS {
	sub, err := fs.Sub(forms, "forms")
	if err != nil {
		panic(err) // cannot fail: the directory is embedded
	}
	return sub
}

// Ticket types of the register wizard.
const (
	Student = "student"
	Regular = "regular"
	Speaker = "speaker"
)

// Wizards returns fresh copies of every demo wizard, in display order. The
// files are part of the binary and their tests, so a mistake in one is a
// bug of the program: Wizards panics on it.
func Wizards() []*wizard.Wizard {
	ws, err := definition.LoadFS(Forms(), ".")
	if err != nil {
		panic(fmt.Sprintf("demo wizards: %v", err))
	}
	return ws
}

// Classic is libmicrohttpd's sessions example: a name, then a job asked by
// that name, then "Ready to submit?" and a "Thank you." page.
func Classic() *wizard.Wizard { return named("classic") }

// Register is a conference registration: attendee details, a ticket type
// that decides the next step (students give their university, speakers
// their talk and then the guests they bring, 0 to 5, each with a name and
// dietary needs; regular attendees neither), then dietary and access needs.
func Register() *wizard.Wizard { return named("register") }

func named(name string) *wizard.Wizard {
	for _, w := range Wizards() {
		if w.Name == name {
			return w
		}
	}
	panic("demo wizard " + name + " missing")
}
