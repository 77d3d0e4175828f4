package delivery

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the query a scrape makes.
const scrapeTimeout = 2 * time.Second

var (
	pendingDesc = prometheus.NewDesc("wizard_deliveries_pending",
		"Webhook deliveries not yet delivered nor given up, in the whole table.", nil, nil)
	oldestDesc = prometheus.NewDesc("wizard_deliveries_oldest_pending_age_seconds",
		"Seconds since the oldest pending delivery was enqueued (0 when none is pending).", nil, nil)
)

// Collector returns the worker's metrics for a Prometheus registry:
// wizard_deliveries_pending and wizard_deliveries_oldest_pending_age_seconds,
// read from the table at each scrape and so the same on every instance, and
// the counters wizard_delivery_attempts_total and
// wizard_delivery_failures_total by HTTP status, of this process's
// attempts only (sum them across instances). Register it once per process.
func (w *Worker) Collector() prometheus.Collector { return collector{w} }

type collector struct{ w *Worker }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- oldestDesc
	c.w.attempts.Describe(ch)
	c.w.failures.Describe(ch)
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	c.w.attempts.Collect(ch)
	c.w.failures.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	var n int64
	var age float64
	err := c.w.pool.QueryRow(ctx, `SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
		FROM deliveries WHERE state = 'pending'`).Scan(&n, &age)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(pendingDesc, err)
		ch <- prometheus.NewInvalidMetric(oldestDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age)
}
