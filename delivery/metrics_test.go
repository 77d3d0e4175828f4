package delivery_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wizard/wizard/delivery"
)

func TestCollectorReportsPendingAndAttempts(t *testing.T) {
	pool := mustPool(t)
	mustEnqueue(t, pool, "sub-m1")
	mustEnqueue(t, pool, "sub-m2")
	pool.Exec(t.Context(), "UPDATE deliveries SET created_at = now() - interval '1 hour' WHERE submission_id = 'sub-m1'")
	rc := &receiver{answers: []func(http.ResponseWriter){status(500), status(200)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	w := delivery.New(pool, fastConfig(srv.URL))
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(w.Collector())

	got := mustGather(t, reg)
	if v := got["wizard_deliveries_pending"]; v != 2 {
		t.Errorf("pending %v, want 2", v)
	}
	if v := got["wizard_deliveries_oldest_pending_age_seconds"]; v < 3600 || v > 3700 {
		t.Errorf("oldest pending age %v s, want about 3600", v)
	}

	startWorker(t, w)
	waitState(t, pool, "sub-m1", "delivered")
	waitState(t, pool, "sub-m2", "delivered")
	got = mustGather(t, reg)
	for name, want := range map[string]float64{
		"wizard_deliveries_pending":                    0,
		"wizard_deliveries_oldest_pending_age_seconds": 0,
		`wizard_delivery_attempts_total{status="200"}`: 2,
		`wizard_delivery_attempts_total{status="500"}`: 1,
		`wizard_delivery_failures_total{status="500"}`: 1,
		`wizard_delivery_failures_total{status="200"}`: 0,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
}

// mustGather returns the registry's gauges and counters by name and
// status label, as name{status="..."}.
func mustGather(tb testing.TB, reg *prometheus.Registry) map[string]float64 {
	tb.Helper()
	families, err := reg.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			name := f.GetName()
			for _, l := range m.GetLabel() {
				name += "{" + l.GetName() + "=\"" + l.GetValue() + "\"}"
			}
			got[name] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	return got
}
