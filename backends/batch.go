package backends

import (
	"context"
	"errors"
	"sync"
)

// errClosed is what an operation submitted to a closed batcher gets.
var errClosed = errors.New("session store closed")

// batcher runs operations that requests submit at about the same time
// together: a worker takes the first operation waiting, then every other
// one already waiting (up to max), and runs them as one batch. Under light
// load a batch is one operation and nothing waits for company; under heavy
// load one statement, round trip and commit serve many requests, which is
// what lets a shared database keep up (see docs/performance.md). Each
// operation's result is its own: run sets it before done closes.
type batcher[T batchOp] struct {
	in   chan T
	run  func([]T)
	max  int
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// batchOp is an operation a batcher runs: finish records its error, if
// any, and wakes its submitter; context is its request's.
type batchOp interface {
	finish(err error)
	context() context.Context
}

// newBatcher starts workers goroutines running batches of at most max
// operations with run, which must finish every operation it is given.
func newBatcher[T batchOp](workers, max int, run func([]T)) *batcher[T] {
	b := &batcher[T]{in: make(chan T), run: run, max: max, stop: make(chan struct{})}
	b.wg.Add(workers)
	for range workers {
		go b.work()
	}
	return b
}

// submit hands op to a worker; the caller then waits for op to finish. It
// fails op with errClosed once the batcher is closed, and with its
// context's error if the request ends before a worker takes it.
func (b *batcher[T]) submit(op T) {
	select {
	case b.in <- op:
	case <-b.stop:
		op.finish(errClosed)
	case <-op.context().Done():
		op.finish(op.context().Err())
	}
}

func (b *batcher[T]) work() {
	defer b.wg.Done()
	batch := make([]T, 0, b.max)
	for {
		select {
		case op := <-b.in:
			batch = append(batch[:0], op)
		case <-b.stop:
			return
		}
	more:
		for len(batch) < b.max {
			select {
			case op := <-b.in:
				batch = append(batch, op)
			default:
				break more
			}
		}
		b.run(batch)
		clear(batch) // let the finished operations go
	}
}

// close stops the workers once their batches are done; operations
// submitted later fail with errClosed.
func (b *batcher[T]) close() {
	b.once.Do(func() { close(b.stop) })
	b.wg.Wait()
}

// result is what a batched operation shares with its submitter.
type result struct {
	err  error
	done chan struct{}
}

func newResult() result { return result{done: make(chan struct{})} }

func (r *result) finish(err error) {
	r.err = err
	close(r.done)
}

// wait blocks until the operation ran, and returns its error.
func (r *result) wait() error {
	<-r.done
	return r.err
}
