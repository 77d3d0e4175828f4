package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// hangUps sends n requests for the hot path's step over fresh connections
// (two thirds POSTs of its answer, one third GETs of the step), and
// abandons each right after writing it: two thirds (every GET among them)
// by closing the connection's sending side at once, the other third by
// resetting it a random few microseconds later, as load generators do to
// the requests in flight when they stop (wrk does). The
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
			for k := range per {
				if ctx.Err() != nil {
					return
				}
				i := rng.IntN(len(ss.tokens))
				body = appendIndexed(append(body[:0], jobField+"="...), jobPrefix, i)
				rq.method, rq.cookieValue, rq.body = "POST", ss.tokens[i], body
				if k%3 == 1 {
					// A request without a body: net/http watches the
					// connection from the start of the handler.
					rq.method, rq.body = "GET", nil
				}
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
				tc, _ := conn.(*net.TCPConn)
				switch {
				case tc == nil:
				case k%3 != 2:
					// A half close right behind the request: the server
					// reads the request, then the end of the connection,
					// and ends the request's context mid-handler.
					tc.CloseWrite()
					conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
					io.Copy(io.Discard, conn)
				default:
					// A reset while the server works on the request.
					time.Sleep(time.Duration(rng.IntN(100)) * time.Microsecond)
					tc.SetLinger(0)
				}
				conn.Close()
			}
		})
	}
	wg.Wait()
	return first
}
