package delivery

import "context"

// Claim claims due deliveries as Run does and makes no attempt, as a
// worker that dies right after claiming.
func (w *Worker) Claim(ctx context.Context) (int, error) {
	c, err := w.claim(ctx)
	return len(c), err
}
