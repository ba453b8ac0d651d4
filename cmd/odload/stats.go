package main

import (
	"sort"
	"time"
)

// percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// values: the smallest value that at least p % of them do not exceed.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.9999999)
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

// quantiles summarises a sample.
type quantiles struct {
	N                       int
	P50, P90, P95, P99, Max float64
	Mean                    float64
}

func summarize(vals []float64) quantiles {
	s := append([]float64(nil), vals...)
	sort.Float64s(s)
	q := quantiles{N: len(s)}
	if len(s) == 0 {
		return q
	}
	var sum float64
	for _, v := range s {
		sum += v
	}
	q.Mean = sum / float64(len(s))
	q.P50, q.P90, q.P95, q.P99, q.Max = percentile(s, 50), percentile(s, 90), percentile(s, 95), percentile(s, 99), s[len(s)-1]
	return q
}

// maxInWindow is the most events (weighted by weight, or counted when
// weight is nil) falling in any half-open window [t, t+w) of sorted times.
func maxInWindow(times []time.Time, weight []int, w time.Duration) int {
	best, sum, lo := 0, 0, 0
	for hi, t := range times {
		sum += weightAt(weight, hi)
		for !times[lo].After(t.Add(-w)) { // t - times[lo] >= w: not in one window with t
			sum -= weightAt(weight, lo)
			lo++
		}
		if sum > best {
			best = sum
		}
	}
	return best
}

func weightAt(weight []int, i int) int {
	if weight == nil {
		return 1
	}
	return weight[i]
}

// minGap is the shortest time between consecutive sorted times (0 for
// fewer than two).
func minGap(times []time.Time) time.Duration {
	var best time.Duration
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); i == 1 || d < best {
			best = d
		}
	}
	return best
}

// inWindow reports whether t is in [start, end).
func inWindow(t, start, end time.Time) bool { return !t.Before(start) && t.Before(end) }
