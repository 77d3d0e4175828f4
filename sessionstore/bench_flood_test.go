package sessionstore

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkFlood checks that a flood of one-shot sessions does not push
// out users in the middle of a wizard. Ours is capped at 10,000 sessions;
// 1,000 users each answer a step (Find, then Commit of new answers) once a
// round for 30 rounds, while another goroutine commits 200,000 one-shot
// sessions that are never used again. users-lost counts users whose Find
// came back empty at least once (the worst of the b.N runs).
//
// Time is simulated: a round stands for one second of the real scenario
// ("each user answers a step every second for 30 s"), and ours is given a
// fake clock that moves one second per round. Nothing expires (sessions
// last 30 minutes). Three variants:
//
//   - users=established: each user has already answered a step and loaded
//     the next (Commit, then Find) before the flood starts; the flood then
//     runs as fast as it can, unpaced, alongside the 30 rounds. This is
//     the scenario, users in the middle of a wizard.
//   - users=new: users start their wizard with the flood, a first answer
//     being a bare Commit as from a request without a cookie. The flood
//     runs at its average rate, 200,000 over the 30 rounds: the two
//     goroutines run concurrently but are held in step (within 64
//     sessions) so that 6,667 one-shot sessions arrive between a user's
//     consecutive steps.
//   - users=new-burst: users start with the flood and the flood runs as
//     fast as it can; at full speed it is over well within a second
//     (about 0.2 s here), so it runs alongside round 0 and round 1 starts
//     once it is done. This shows the limit of any store that admits
//     every new session under a cap: a user's first session, used once,
//     is indistinguishable from a one-shot session until their second
//     request, so it is lost if more one-shot sessions than the room left
//     (about cap - users) arrive in between.
//
// scs's memstore has no cap, so it never loses a user; its figures show
// what it holds instead (held sessions, heap-MiB growth).
func BenchmarkFlood(b *testing.B) {
	for _, mode := range []string{"established", "new", "new-burst"} {
		for _, kind := range storeKinds {
			b.Run("users="+mode+"/store="+kind, func(b *testing.B) {
				benchFixtures.drop()
				var worst floodResult
				for range b.N {
					r := runFlood(b, kind, mode)
					worst.lost = max(worst.lost, r.lost)
					worst.held = max(worst.held, r.held)
					worst.evicted = max(worst.evicted, r.evicted)
					worst.heapMiB = max(worst.heapMiB, r.heapMiB)
				}
				b.ReportMetric(float64(worst.lost), "users-lost")
				b.ReportMetric(float64(worst.held), "held")
				b.ReportMetric(worst.heapMiB, "heap-MiB")
				if kind == "ours" {
					b.ReportMetric(float64(worst.evicted), "evicted")
				}
			})
		}
	}
}

type floodResult struct {
	lost, held, evicted int
	heapMiB             float64
}

func runFlood(b *testing.B, kind, mode string) floodResult {
	const (
		maxSessions = 10_000
		users       = 1_000
		rounds      = 30
		oneShots    = 200_000
	)
	before := heapAlloc()
	clock := newFakeClock()
	s := newSubject(kind, subjectOptions{maxSessions: maxSessions, sweep: -1, now: clock.Now})
	defer s.close()
	expiry := func() time.Time { return clock.Now().Add(30 * time.Minute) }
	userToken := func(u int) string { return benchToken(10_000_000 + u) }
	flood := func(from, to int) {
		for j := from; j < to; j++ {
			if err := s.Commit(benchToken(20_000_000+j), benchPayload(j, 0), expiry()); err != nil {
				b.Error(err)
				return
			}
		}
	}
	lost := make([]bool, users)
	step := func(u, r int, first bool) {
		tok := userToken(u)
		if !first {
			if _, found, err := s.Find(tok); err != nil {
				b.Fatal(err)
			} else if !found {
				lost[u] = true
			}
		}
		if err := s.Commit(tok, benchPayload(u, r), expiry()); err != nil {
			b.Fatal(err)
		}
	}

	var wg sync.WaitGroup
	switch mode {
	case "established":
		for u := range users {
			step(u, 0, true)
			if _, found, _ := s.Find(userToken(u)); !found {
				b.Fatalf("user %d not found before the flood", u)
			}
		}
		wg.Go(func() { flood(0, oneShots) })
		for r := 1; r <= rounds; r++ {
			for u := range users {
				step(u, r, false)
			}
			clock.Add(time.Second)
		}
		wg.Wait()
	case "new":
		// Lockstep: user step k may start once the flood has committed
		// k*perStep sessions, and the flood's session j once the users
		// have taken j/perStep steps, each give or take slack.
		const slack = 64
		perStep := float64(oneShots) / float64(users*rounds)
		var stepsDone, shotsDone atomic.Int64
		wg.Go(func() {
			for j := range oneShots {
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
				step(u, r, r == 0)
				stepsDone.Store(int64(k + 1))
			}
			clock.Add(time.Second)
		}
		wg.Wait()
	case "new-burst":
		// At full speed the flood is over well within a second, so it
		// runs alongside round 0 and round 1 starts once it is done.
		wg.Go(func() { flood(0, oneShots) })
		for r := range rounds {
			for u := range users {
				step(u, r, r == 0)
			}
			wg.Wait()
			clock.Add(time.Second)
		}
	}

	res := floodResult{held: s.held(), heapMiB: (float64(heapAlloc()) - float64(before)) / (1 << 20)}
	for _, l := range lost {
		if l {
			res.lost++
		}
	}
	if o, ok := s.Store.(*Store); ok {
		res.evicted = int(o.Stats().Evicted)
	}
	return res
}
