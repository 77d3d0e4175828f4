package handlers

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// StoreStats are a session store's counters, as /metrics shows them.
type StoreStats struct {
	// Live is the number of sessions held now.
	Live int64
	// Created, Expired and Evicted count sessions since start: new ones,
	// ones removed after their deadline, and ones pushed out by the cap.
	Created, Expired, Evicted uint64
	// Refused counts new sessions the store turned away because it was
	// full.
	Refused uint64
	// Mapped is the bytes the store holds outside the Go heap now; 0 for
	// a store that keeps none.
	Mapped int64
}

// metrics are the server's Prometheus collectors, in a registry of its own.
type metrics struct {
	registry *prometheus.Registry
	duration *prometheus.HistogramVec
	// rateLimited counts requests refused by a per-client rate limit, by
	// what was limited.
	rateLimited *prometheus.CounterVec
	// stored counts submissions stored, by wizard.
	stored *prometheus.CounterVec
	// observers caches duration's histogram per route and status: the
	// label lookup otherwise hashes both labels on every request.
	mu        sync.RWMutex
	observers map[routeStatus]prometheus.Observer
}

type routeStatus struct {
	route  string
	status int
}

func newMetrics(stats func() StoreStats, more []prometheus.Collector) *metrics {
	m := &metrics{
		registry:  prometheus.NewRegistry(),
		observers: map[routeStatus]prometheus.Observer{},
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wizard_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and status.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"route", "status"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wizard_rate_limited_total",
			Help: "Requests refused because their client went over a rate limit, by what was limited.",
		}, []string{"limit"}),
		stored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wizard_submissions_stored_total",
			Help: "Submissions this process handed to the sink, which stored them (repeats of a stored one not counted), by wizard.",
		}, []string{"wizard"}),
	}
	m.registry.MustRegister(m.duration, m.rateLimited, m.stored, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registry.MustRegister(more...)
	if stats != nil {
		m.registry.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wizard_sessions_live", Help: "Sessions held by the store."},
				func() float64 { return float64(stats().Live) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wizard_sessions_created_total", Help: "Sessions created."},
				func() float64 { return float64(stats().Created) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wizard_sessions_expired_total", Help: "Sessions removed after their deadline."},
				func() float64 { return float64(stats().Expired) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wizard_sessions_evicted_total", Help: "Sessions pushed out because the store was full."},
				func() float64 { return float64(stats().Evicted) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wizard_sessions_refused_total", Help: "New sessions refused because the store was full."},
				func() float64 { return float64(stats().Refused) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wizard_store_mapped_bytes", Help: "Bytes the session store holds outside the Go heap."},
				func() float64 { return float64(stats().Mapped) }),
		)
	}
	return m
}

// observe records one request.
func (m *metrics) observe(route string, status int, d time.Duration) {
	key := routeStatus{route, status}
	m.mu.RLock()
	o, ok := m.observers[key]
	m.mu.RUnlock()
	if !ok {
		o = m.duration.WithLabelValues(route, strconv.Itoa(status))
		m.mu.Lock()
		m.observers[key] = o
		m.mu.Unlock()
	}
	o.Observe(d.Seconds())
}

// submitted counts a submission the sink stored.
func (m *metrics) submitted(wizardName string) {
	m.stored.WithLabelValues(wizardName).Inc()
}

// limited counts a request refused by the rate limit on what.
func (m *metrics) limited(what string) {
	m.rateLimited.WithLabelValues(what).Inc()
}

// handler serves the metrics in Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// setRoute tells the request log which route pattern answered, through
// the chain of response writers down to the logging one.
func setRoute(w http.ResponseWriter, route string) {
	for {
		if sw, ok := w.(*statusWriter); ok {
			sw.route = route
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}
