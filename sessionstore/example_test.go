package sessionstore_test

import (
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/wizard/wizard/sessionstore"
)

// A store capped at 10,000 sessions behind scs's session manager; its
// counters feed a metrics endpoint.
func Example() {
	store := sessionstore.New(sessionstore.Options{MaxSessions: 10_000})
	defer store.Close()

	sessions := scs.New()
	sessions.Store = store
	sessions.IdleTimeout = 30 * time.Minute

	st := store.Stats()
	fmt.Println(st.Live, st.Created, st.Expired, st.Evicted, st.Refused, st.Deleted)
	// Output: 0 0 0 0 0 0
}
