package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// hangUps sends n hot-path requests over fresh connections, each reset a
// random few microseconds after its request was written, as load
// generators do to the requests in flight when they stop (wrk does). The
// server's request contexts end mid-handler; a server that cannot take
// that would crash here rather than in production.
func hangUps(ctx context.Context, addr string, ss *sessions, n, conns int) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	per := (n + conns - 1) / conns
	for w := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
			rq := request{method: "POST", path: hotPath, host: addr, cookieName: ss.cookie, headers: hotHeaders()}
			var buf, body []byte
			for range per {
				if ctx.Err() != nil {
					return
				}
				i := rng.IntN(len(ss.tokens))
				body = appendIndexed(append(body[:0], jobField+"="...), jobPrefix, i)
				rq.cookieValue, rq.body = ss.tokens[i], body
				buf = appendRequest(buf[:0], &rq)
				conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("dial: %w", err)
					}
					mu.Unlock()
					return
				}
				conn.Write(buf)
				time.Sleep(time.Duration(rng.IntN(200)) * time.Microsecond)
				if tc, ok := conn.(*net.TCPConn); ok {
					tc.SetLinger(0) // reset, not a graceful close
				}
				conn.Close()
			}
		})
	}
	wg.Wait()
	return first
}
