package wizard

//go:generate go tool templ generate

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed static
var static embed.FS

// Static returns the embedded static files (CSS, scripts, vendored htmx),
// rooted at the static directory.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(fmt.Sprintf("embedded static files: %v", err)) // cannot happen: the directory is embedded above
	}
	return sub
}
