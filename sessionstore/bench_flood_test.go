package sessionstore

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// floodKinds are the stores BenchmarkFlood compares: ours as configured
// by default (a full store refuses new sessions), ours with EvictWhenFull,
// and scs's memstore.
var floodKinds = []string{"ours", "ours-evict", "scs"}

// BenchmarkFlood checks that a flood of new sessions does not push out
// users in the middle of a wizard. Ours is capped at 10,000 sessions;
// 1,000 users each answer a step (Find, then Commit of new answers) once a
// round for 30 rounds, while another goroutine commits 200,000 flood
// sessions. users-lost counts users whose Find came back empty at least
// once (the worst of the b.N runs).
//
// Time is simulated: a round stands for one second of the real scenario
// ("each user answers a step every second for 30 s"), and ours is given a
// fake clock that moves one second per round. Nothing expires (sessions
// last 30 minutes). Four scenarios:
//
//   - users=established: each user has already answered a step and loaded
//     the next (Commit, then Find) before the flood starts; the flood, of
//     one-shot sessions never used again, then runs as fast as it can,
//     unpaced, alongside the 30 rounds.
//   - users=new: users start their wizard with the flood, a first answer
//     being a bare Commit as from a request without a cookie. The flood
//     runs at its average rate, 200,000 over the 30 rounds: the two
//     goroutines run concurrently but are held in step (within 64
//     sessions) so that 6,667 one-shot sessions arrive between a user's
//     consecutive steps.
//   - users=new-burst: users start with the flood and the flood runs as
//     fast as it can; at full speed it is over well within a second
//     (about 0.2 s here), so it runs alongside round 0 and round 1 starts
//     once it is done. This shows the limit of any store that holds a
//     capped number of sessions: a user's first session, used once, is
//     indistinguishable from a one-shot session until their second
//     request. With EvictWhenFull it is lost if more one-shot sessions
//     than the room left (about cap - users) arrive in between; by
//     default a user who arrives once the store is full is refused
//     (users-refused), and tries again each round, until sessions expire;
//     in the runs so far, the users' 1,000 first Commits all landed
//     before the flood filled the store, so none was refused.
//   - users=established/flood=two-request: the review's attack. Users
//     are established as above, but each flood session makes two
//     requests, a Commit and then a Find, as a client that answers the
//     first step and opens the second does; its second use promotes it
//     to the protected segment, as a user's is. The flood runs as fast as
//     it can alongside round 1, and round 2 starts once it is done: at
//     full speed it is over within one user's think time, as in the
//     review (1,200 such sessions pushed out 100 of 100 users in 0.1 s).
//     A flood spread over the 30 rounds would not show it: a user who
//     answers again before the protected segment turns over twice keeps
//     their session under CLOCK.
//
// A user whose first Commit is refused holds no session and is not lost:
// the next round is their first step again. For ours, evicted and refused
// are the store's counters (refused includes users' refusals). scs's
// memstore has no cap, so it never loses or refuses a user; its figures
// show what it holds instead (held sessions, heap-MiB growth).
func BenchmarkFlood(b *testing.B) {
	scenarios := []struct {
		name       string
		mode       string // runFlood's: established, established-burst, new or new-burst
		twoRequest bool   // each flood session is found once after its Commit
	}{
		{"users=established", "established", false},
		{"users=new", "new", false},
		{"users=new-burst", "new-burst", false},
		{"users=established/flood=two-request", "established-burst", true},
	}
	for _, sc := range scenarios {
		for _, kind := range floodKinds {
			b.Run(sc.name+"/store="+kind, func(b *testing.B) {
				benchFixtures.drop()
				var worst floodResult
				for range b.N {
					r := runFlood(b, kind, sc.mode, sc.twoRequest)
					worst.lost = max(worst.lost, r.lost)
					worst.usersRefused = max(worst.usersRefused, r.usersRefused)
					worst.held = max(worst.held, r.held)
					worst.evicted = max(worst.evicted, r.evicted)
					worst.refused = max(worst.refused, r.refused)
					worst.heapMiB = max(worst.heapMiB, r.heapMiB)
				}
				if kind == "ours" && worst.lost > 0 {
					b.Errorf("%d users lost a session held by a store that refuses when full", worst.lost)
				}
				b.ReportMetric(float64(worst.lost), "users-lost")
				b.ReportMetric(float64(worst.held), "held")
				b.ReportMetric(worst.heapMiB, "heap-MiB")
				if kind != "scs" {
					b.ReportMetric(float64(worst.usersRefused), "users-refused")
					b.ReportMetric(float64(worst.evicted), "evicted")
					b.ReportMetric(float64(worst.refused), "refused")
				}
			})
		}
	}
}

type floodResult struct {
	lost, usersRefused, held, evicted, refused int
	heapMiB                                    float64
}

func runFlood(b *testing.B, kind, mode string, twoRequest bool) floodResult {
	const (
		maxSessions = 10_000
		users       = 1_000
		rounds      = 30
		floods      = 200_000 // flood sessions, one-shot or two-request
	)
	before := heapAlloc()
	clock := newFakeClock()
	opts := subjectOptions{maxSessions: maxSessions, sweep: -1, now: clock.Now}
	if kind == "ours-evict" {
		kind, opts.evict = "ours", true
	}
	s := newSubject(kind, opts)
	defer s.close()
	expiry := func() time.Time { return clock.Now().Add(30 * time.Minute) }
	userToken := func(u int) string { return benchToken(10_000_000 + u) }
	flood := func(from, to int) {
		for j := from; j < to; j++ {
			tok := benchToken(20_000_000 + j)
			err := s.Commit(tok, benchPayload(j, 0), expiry())
			if errors.Is(err, ErrFull) {
				continue
			}
			if err != nil {
				b.Error(err)
				return
			}
			if twoRequest {
				if _, _, err := s.Find(tok); err != nil {
					b.Error(err)
					return
				}
			}
		}
	}
	// Only the users' goroutine touches these.
	held := make([]bool, users)    // the user's last Commit was stored
	lost := make([]bool, users)    // a Find of a session held came back empty
	refused := make([]bool, users) // a Commit was refused at least once
	step := func(u, r int) {
		tok := userToken(u)
		if held[u] {
			if _, found, err := s.Find(tok); err != nil {
				b.Fatal(err)
			} else if !found {
				lost[u] = true
			}
		}
		err := s.Commit(tok, benchPayload(u, r), expiry())
		if err != nil && !errors.Is(err, ErrFull) {
			b.Fatal(err)
		}
		held[u] = err == nil
		refused[u] = refused[u] || err != nil
	}

	var wg sync.WaitGroup
	switch mode {
	case "established", "established-burst":
		for u := range users {
			step(u, 0)
			if _, found, _ := s.Find(userToken(u)); !found {
				b.Fatalf("user %d not found before the flood", u)
			}
		}
		wg.Go(func() { flood(0, floods) })
		for r := 1; r <= rounds; r++ {
			for u := range users {
				step(u, r)
			}
			if mode == "established-burst" {
				wg.Wait() // the flood is over within round 1
			}
			clock.Add(time.Second)
		}
		wg.Wait()
	case "new":
		// Lockstep: user step k may start once the flood has committed
		// k*perStep sessions, and the flood's session j once the users
		// have taken j/perStep steps, each give or take slack.
		const slack = 64
		perStep := float64(floods) / float64(users*rounds)
		var stepsDone, shotsDone atomic.Int64
		wg.Go(func() {
			for j := range floods {
				for float64(j) > float64(stepsDone.Load())*perStep+slack {
					runtime.Gosched()
				}
				flood(j, j+1)
				shotsDone.Store(int64(j + 1))
			}
		})
		for r := range rounds {
			for u := range users {
				k := r*users + u
				for float64(shotsDone.Load())+slack < float64(k)*perStep {
					runtime.Gosched()
				}
				step(u, r)
				stepsDone.Store(int64(k + 1))
			}
			clock.Add(time.Second)
		}
		wg.Wait()
	case "new-burst":
		// At full speed the flood is over well within a second, so it
		// runs alongside round 0 and round 1 starts once it is done.
		wg.Go(func() { flood(0, floods) })
		for r := range rounds {
			for u := range users {
				step(u, r)
			}
			wg.Wait()
			clock.Add(time.Second)
		}
	}

	res := floodResult{held: s.held(), heapMiB: (float64(heapAlloc()) - float64(before)) / (1 << 20)}
	for u := range users {
		if lost[u] {
			res.lost++
		}
		if refused[u] {
			res.usersRefused++
		}
	}
	if o, ok := s.Store.(*Store); ok {
		st := o.Stats()
		res.evicted, res.refused = int(st.Evicted), int(st.Refused)
	}
	return res
}
