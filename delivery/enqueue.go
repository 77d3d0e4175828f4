package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wizard/wizard"
)

// EventType is the type of every event delivered.
const EventType = "submission.created"

// event is the body POSTed to the webhook.
type event struct {
	Type      string          `json:"type"`
	Timestamp string          `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// Payload returns the body delivered for s:
// {"type":"submission.created","timestamp":...,"data":...}, where
// timestamp is the submission's time in RFC 3339 (UTC) and data is s
// encoded as JSON.
func Payload(s wizard.Submission) ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode submission %q: %w", s.ID, err)
	}
	return json.Marshal(event{Type: EventType, Timestamp: s.Time.UTC().Format(time.RFC3339), Data: data})
}

// Enqueue records a pending delivery of s, due now, in tx: called from the
// transaction that stores the submission (the sink's InTx option), the
// delivery exists if and only if the submission does. Enqueueing an ID
// already queued changes nothing. The deliveries table must exist (see
// EnsureSchema).
func Enqueue(ctx context.Context, tx pgx.Tx, s wizard.Submission) error {
	body, err := Payload(s)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO deliveries (submission_id, reference, payload) VALUES ($1, $2, $3)
		ON CONFLICT (submission_id) DO NOTHING`, s.ID, s.Reference, body)
	if err != nil {
		return fmt.Errorf("enqueue delivery of %q: %w", s.ID, err)
	}
	return nil
}
