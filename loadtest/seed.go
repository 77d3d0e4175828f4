package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// seed creates n sessions on the wizard server at addr by answering the
// classic wizard's first step as a browser without JavaScript would (303
// to step 2 with a new session cookie), over conns parallel connections.
// Session i is named appendIndexed(namePrefix, i).
func seed(ctx context.Context, addr, cookie string, n, conns int) (*sessions, error) {
	ss := &sessions{cookie: cookie, tokens: make([]string, n)}
	var (
		next   atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  error
		failed atomic.Bool
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
		failed.Store(true)
	}
	for range min(conns, n) {
		wg.Go(func() {
			c := newClient(addr, cookie)
			defer c.close()
			rq := request{method: "POST", path: seedPath, host: addr}
			var buf, body []byte
			for !failed.Load() && ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				body = appendIndexed(append(body[:0], nameField+"="...), namePrefix, i)
				rq.body = body
				buf = appendRequest(buf[:0], &rq)
				rs, err := c.do(buf)
				if err != nil {
					// One retry on a fresh connection: the server may have
					// closed an idle one.
					if rs, err = c.do(buf); err != nil {
						fail(fmt.Errorf("seed session %d: %w", i, err))
						return
					}
				}
				switch {
				case rs.status != 303:
					fail(fmt.Errorf("seed session %d: status %d, want 303", i, rs.status))
				case string(rs.location) != nextPath:
					fail(fmt.Errorf("seed session %d: redirect to %q, want %q", i, rs.location, nextPath))
				case !rs.hasCookie || len(rs.cookie) == 0:
					fail(fmt.Errorf("seed session %d: no %s cookie set", i, cookie))
				default:
					ss.tokens[i] = string(rs.cookie)
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return ss, nil
}
