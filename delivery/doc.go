// Package delivery sends stored submissions to a webhook, signed, retried
// until the receiver takes them, without a user ever waiting for it.
//
// # Outbox
//
// A delivery is a row of the deliveries table (EnsureSchema creates it),
// written by Enqueue in the same transaction that stores the submission:
// the sink's InTx option. So a stored submission always has a delivery and
// a refused one never does. The row holds the exact body to POST, built at
// enqueue time, so that delivering never reads the sink's table and every
// retry sends, and signs, the same bytes:
//
//	{"type":"submission.created","timestamp":"2026-01-02T15:04:05Z","data":{...the wizard.Submission...}}
//
// # Workers
//
// Every instance runs a Worker. A worker claims due deliveries in one
// committed statement (SELECT ... FOR UPDATE SKIP LOCKED, then setting
// lease_until and counting the attempt), and only then POSTs, outside any
// transaction: a slow receiver holds no row lock and no connection.
// Workers claiming at once skip each other's rows; a claimed row is
// reserved until its lease ends. A worker that dies holding a lease loses
// it then, and another claims the delivery again. A worker records an
// outcome only if the row still holds the lease it claimed, so one that was
// taken over, or whose delivery an operator reset, changes nothing.
//
// Delivery is therefore at least once, not exactly once: a worker that
// dies after the receiver answered, or a lease that lapses while a POST is
// still under way, sends a submission again with the same webhook-id.
// Receivers drop a webhook-id they have seen. The default lease is four
// times the 15 s attempt timeout, so the second case needs a database
// slower than a minute.
//
// # Requests
//
// Requests follow the Standard Webhooks specification
// (https://www.standardwebhooks.com): webhook-id is the submission ID, the
// same on every attempt; webhook-timestamp is this attempt's time in unix
// seconds; webhook-signature is Sign's "v1,<base64 HMAC-SHA256>" of
// "id.timestamp.body", one per secret while a secret is rotated. Redirects
// are not followed (a 3xx is a failed attempt): they would carry signed
// submissions wherever a receiver points.
//
// # Retries
//
// A 2xx response delivers. Anything else, or no response within the
// timeout, is a failed attempt, retried after 5 s, 5 min, 30 min, 2 h, 5 h,
// 10 h, 14 h, 20 h and 24 h (DefaultSchedule, about three days in all),
// each with up to a tenth more at random so that deliveries failing
// together do not come back together. A 429 or 503 with Retry-After waits
// at least that long (at most 24 h). A 410 Gone gives up at once. A
// delivery given up is marked failed and logged as an error with the
// submission's reference; Redeliver and RedeliverSince put deliveries back
// to pending, due now, with the whole schedule ahead.
//
// # Metrics
//
// Worker.Collector gives the number of pending deliveries and the age of
// the oldest, from the table, and this process's attempts and failed
// attempts by HTTP status.
package delivery
