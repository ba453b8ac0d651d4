package bus_test

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/bus/bustest"
)

// BenchmarkPublishDeliver is the bus's baseline: publish→deliver latency
// (one payload in flight; ns/op, with p50 and p99) and throughput (a window
// of payloads in flight; msgs/s), for the memory bus and for NATS between
// two connections — two nodes — on the test server. Payloads are 256 bytes,
// about one chat event.
//
//	go test -bench . -run XXX ./internal/bus/
func BenchmarkPublishDeliver(b *testing.B) {
	b.Run("memory", func(b *testing.B) {
		m := bus.NewMemory()
		defer m.Close()
		benchPublishDeliver(b, m, m)
	})
	b.Run("nats", func(b *testing.B) {
		prefix := testPrefix()
		pub := dialNATS(b, bustest.NATSURL(), nil, bus.WithPrefix(prefix))
		sub := dialNATS(b, bustest.NATSURL(), nil, bus.WithPrefix(prefix))
		benchPublishDeliver(b, pub, sub)
	})
}

func benchPublishDeliver(b *testing.B, pub, sub bus.Bus) {
	payload := make([]byte, 256)
	b.Run("latency", func(b *testing.B) {
		delivered := make(chan struct{}, 1)
		s, err := sub.Subscribe("od.bench.latency", func([]byte) { delivered <- struct{}{} })
		if err != nil {
			b.Fatal(err)
		}
		defer s.Unsubscribe()
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			if err := pub.Publish(b.Context(), "od.bench.latency", payload); err != nil {
				b.Fatal(err)
			}
			<-delivered
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/1e3, "p50-µs")
		b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1e3, "p99-µs")
	})
	b.Run("throughput", func(b *testing.B) {
		// A bounded window keeps the subscriber from being flagged a slow
		// consumer: what is measured is what a node sustains, not a burst.
		window := make(chan struct{}, 4096)
		var delivered atomic.Int64
		all := make(chan struct{})
		s, err := sub.Subscribe("od.bench.throughput", func([]byte) {
			<-window
			if delivered.Add(1) == int64(b.N) {
				close(all)
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Unsubscribe()
		b.SetBytes(int64(len(payload)))
		b.ResetTimer()
		for range b.N {
			window <- struct{}{}
			if err := pub.Publish(b.Context(), "od.bench.throughput", payload); err != nil {
				b.Fatal(err)
			}
		}
		<-all // the last window is timed too
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}
