// Package ratelimit enforces the two-tier sliding window of the API: one
// window per API key and one per org, checked and updated together, so many
// keys cannot bypass the org's limit. Windows live in memory for a single node
// or in Redis for several.
package ratelimit

import (
	"context"
	"fmt"
	"time"
)

// Window is the length of every rate-limit window.
const Window = time.Minute

// Limits are requests per minute for one key and for the whole org.
type Limits struct {
	PerKey int
	PerOrg int
}

// PlanLimits returns the default limits of a plan (STARTER, GROWTH, SCALE,
// PRO, ENTERPRISE); an unknown plan gets Starter's.
func PlanLimits(plan string) Limits {
	switch plan {
	case "GROWTH":
		return Limits{PerKey: 60, PerOrg: 120}
	case "SCALE", "PRO":
		return Limits{PerKey: 120, PerOrg: 240}
	case "ENTERPRISE":
		return Limits{PerKey: 300, PerOrg: 600}
	default:
		return Limits{PerKey: 30, PerOrg: 60}
	}
}

// OverrideRange returns the limits an org of the plan may be configured to:
// Pro and Enterprise may choose 120–300 per key and 240–600 per org; other
// plans keep their defaults.
func OverrideRange(plan string) (low, high Limits) {
	switch plan {
	case "PRO", "ENTERPRISE":
		return Limits{PerKey: 120, PerOrg: 240}, Limits{PerKey: 300, PerOrg: 600}
	}
	limits := PlanLimits(plan)
	return limits, limits
}

// ValidateOverride checks configured limits against the plan's range.
func ValidateOverride(plan string, limits Limits) error {
	low, high := OverrideRange(plan)
	if limits.PerKey < low.PerKey || limits.PerKey > high.PerKey {
		return fmt.Errorf("the per-key limit of a %s org must be between %d and %d requests per minute, got %d", plan, low.PerKey, high.PerKey, limits.PerKey)
	}
	if limits.PerOrg < low.PerOrg || limits.PerOrg > high.PerOrg {
		return fmt.Errorf("the org-wide limit of a %s org must be between %d and %d requests per minute, got %d", plan, low.PerOrg, high.PerOrg, limits.PerOrg)
	}
	return nil
}

// WindowState is the state of one window after a check.
type WindowState struct {
	Name      string // "key", "org" or "address"
	Limit     int
	Remaining int
	// ResetAt is when the oldest request in the window leaves it, freeing a
	// slot; it is the check time when the window is empty.
	ResetAt time.Time
}

// Decision is the outcome of a check against one or two windows.
type Decision struct {
	Allowed bool
	Windows []WindowState
	// Tripped is the window that rejected the request, when one did.
	Tripped *WindowState
	Now     time.Time
}

// Tightest returns the window with the fewest remaining requests, which the
// X-RateLimit-* headers report.
func (d Decision) Tightest() WindowState {
	if d.Tripped != nil {
		return *d.Tripped
	}
	tightest := d.Windows[0]
	for _, window := range d.Windows[1:] {
		if window.Remaining < tightest.Remaining {
			tightest = window
		}
	}
	return tightest
}

// RetryAfter returns how long a rejected client should wait, at least 1 s.
func (d Decision) RetryAfter() time.Duration {
	if d.Tripped == nil {
		return 0
	}
	wait := d.Tripped.ResetAt.Sub(d.Now)
	if wait < time.Second {
		return time.Second
	}
	return wait.Round(time.Second)
}

// Bucket names one window and its limit.
type Bucket struct {
	Name  string // "key", "org" or "address", reported to clients
	ID    string // the counter's identity, such as key:key_01J…
	Limit int
}

// Store checks and records requests against windows atomically: a request is
// counted in every bucket or in none.
type Store interface {
	Allow(ctx context.Context, buckets []Bucket) (Decision, error)
}
