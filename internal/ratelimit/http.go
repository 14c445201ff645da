package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// AddressLimit is the requests per minute allowed from one client address
// without a valid key.
const AddressLimit = 60

// Limiter applies the windows of the caller's key and org to HTTP requests.
type Limiter struct {
	store  Store
	client *ent.Client

	mu     sync.Mutex
	limits map[string]cachedLimits
}

type cachedLimits struct {
	limits   Limits
	loadedAt time.Time
}

// orgLimitsTTL is how long an org's plan and overrides are cached.
const orgLimitsTTL = 30 * time.Second

// NewLimiter returns a limiter over the store; client reads org plans.
func NewLimiter(store Store, client *ent.Client) *Limiter {
	return &Limiter{store: store, client: client, limits: make(map[string]cachedLimits)}
}

// OrgLimits returns the limits of an org: its plan's defaults, replaced by the
// org's configured values where it has them.
func (l *Limiter) OrgLimits(ctx context.Context, orgID string) (Limits, error) {
	l.mu.Lock()
	cached, ok := l.limits[orgID]
	l.mu.Unlock()
	if ok && time.Since(cached.loadedAt) < orgLimitsTTL {
		return cached.limits, nil
	}

	org, err := l.client.Org.Get(auth.SystemContext(ctx, orgID), orgID)
	if err != nil {
		return Limits{}, fmt.Errorf("loading the plan of org %s: %w", orgID, err)
	}
	limits := PlanLimits(string(org.Plan))
	if org.RateLimitPerKey != nil {
		limits.PerKey = *org.RateLimitPerKey
	}
	if org.RateLimitPerOrg != nil {
		limits.PerOrg = *org.RateLimitPerOrg
	}

	l.mu.Lock()
	l.limits[orgID] = cachedLimits{limits: limits, loadedAt: time.Now()}
	l.mu.Unlock()
	return limits, nil
}

// Middleware counts each authenticated request against its key's and its
// org's windows, sets the rate-limit headers on every response and rejects a
// request over either limit with 429 rate_limited.
func (l *Limiter) Middleware(writeError func(http.ResponseWriter, *http.Request, *apierr.Error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			principal := auth.FromContext(r.Context())
			if principal == nil || principal.OrgID == "" {
				next.ServeHTTP(w, r)
				return
			}

			limits, err := l.OrgLimits(r.Context(), principal.OrgID)
			if err != nil {
				slog.ErrorContext(r.Context(), "rate limit skipped: org limits unavailable", "org_id", principal.OrgID, "error", err)
				next.ServeHTTP(w, r)
				return
			}
			decision, err := l.store.Allow(r.Context(), []Bucket{
				{Name: "key", ID: "key:" + principal.KeyID, Limit: limits.PerKey},
				{Name: "org", ID: "org:" + principal.OrgID, Limit: limits.PerOrg},
			})
			if err != nil {
				// Failing open keeps the API up when the shared store is down;
				// the error is logged for operators.
				slog.ErrorContext(r.Context(), "rate limit skipped: store unavailable", "org_id", principal.OrgID, "key_id", principal.KeyID, "error", err)
				next.ServeHTTP(w, r)
				return
			}

			SetHeaders(w.Header(), decision)
			if !decision.Allowed {
				writeError(w, r, Rejection(decision))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CheckAddress counts a request without a valid key against its client
// address. It returns a rate_limited error when the address is over the limit.
func (l *Limiter) CheckAddress(r *http.Request, header http.Header) *apierr.Error {
	decision, err := l.store.Allow(r.Context(), []Bucket{{Name: "address", ID: "addr:" + ClientIP(r), Limit: AddressLimit}})
	if err != nil {
		slog.ErrorContext(r.Context(), "address rate limit skipped: store unavailable", "error", err)
		return nil
	}
	SetHeaders(header, decision)
	if !decision.Allowed {
		return Rejection(decision)
	}
	return nil
}

// Rejection returns the 429 error of a decision, naming the window that
// tripped.
func Rejection(decision Decision) *apierr.Error {
	tripped := decision.Tightest()
	wait := int(decision.RetryAfter().Seconds())
	var message string
	switch tripped.Name {
	case "key":
		message = fmt.Sprintf("this API key exceeded its limit of %d requests per minute; retry after %d seconds", tripped.Limit, wait)
	case "org":
		message = fmt.Sprintf("this org exceeded its limit of %d requests per minute across all its keys; retry after %d seconds", tripped.Limit, wait)
	default:
		message = fmt.Sprintf("too many requests without a valid API key from this address (limit %d per minute); retry after %d seconds", tripped.Limit, wait)
	}
	apiErr := apierr.New(apierr.RateLimited, "%s", message)
	apiErr.Details = []apierr.Detail{{Path: []any{"window"}, Message: tripped.Name}}
	return apiErr
}

// SetHeaders writes X-RateLimit-* for the tightest window, the IETF
// RateLimit-Policy and RateLimit fields for every window, and Retry-After on a
// rejection.
func SetHeaders(header http.Header, decision Decision) {
	if len(decision.Windows) == 0 {
		return
	}
	tightest := decision.Tightest()
	header.Set("X-RateLimit-Limit", strconv.Itoa(tightest.Limit))
	header.Set("X-RateLimit-Remaining", strconv.Itoa(tightest.Remaining))
	header.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(tightest.ResetAt), 10))
	header.Set("X-RateLimit-Policy", "sliding-window")

	window := int(Window.Seconds())
	var policies, states string
	for i, state := range decision.Windows {
		if i > 0 {
			policies += ", "
			states += ", "
		}
		policies += fmt.Sprintf("%q;q=%d;w=%d", state.Name, state.Limit, window)
		// Rounding the interval, not the two instants, keeps t within the
		// window: a reset 59.2 s away is t=60, never 61.
		untilReset := min(max(int(math.Ceil(state.ResetAt.Sub(decision.Now).Seconds())), 0), window)
		states += fmt.Sprintf("%q;r=%d;t=%d", state.Name, state.Remaining, untilReset)
	}
	header.Set("RateLimit-Policy", policies)
	header.Set("RateLimit", states)

	if !decision.Allowed {
		header.Set("Retry-After", strconv.Itoa(int(decision.RetryAfter().Seconds())))
	}
}

func ceilUnix(t time.Time) int64 {
	seconds := t.Unix()
	if t.Nanosecond() > 0 {
		seconds++
	}
	return seconds
}

// ClientIP returns the address of the TCP peer. Forwarding headers are not
// trusted, because any client can send them.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
