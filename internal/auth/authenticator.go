package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/apikey"
	"github.com/breadbox/breadbox/ent/privacy"
)

// ErrInvalidKey is returned for a missing, malformed, unknown, revoked or
// expired key. The API does not tell these apart, so a caller cannot probe
// which keys exist.
var ErrInvalidKey = errors.New("a valid API key is required: send Authorization: Bearer msp_live_… or msp_test_…")

// AuthenticatorConfig configures an Authenticator.
type AuthenticatorConfig struct {
	// CacheTTL is how long a looked-up key is trusted before it is read again;
	// a revoked key stops working on every node within this time. Zero reads
	// the key on every request. Default 5 s.
	CacheTTL time.Duration
	// FlushInterval is how often last-use times are written. Default 30 s.
	FlushInterval time.Duration
}

// Authenticator turns a bearer key into a principal. Keys are looked up by the
// SHA-256 of the raw key and kept in a short cache; last-use times are
// collected in memory and written in batches, so a request costs no database
// write.
type Authenticator struct {
	client *ent.Client
	config AuthenticatorConfig

	mu       sync.Mutex
	cache    map[string]cachedKey
	lastUsed map[string]time.Time
}

type cachedKey struct {
	principal *Principal
	expiresAt *time.Time
	loadedAt  time.Time
}

// NewAuthenticator returns an authenticator over the client.
func NewAuthenticator(client *ent.Client, config AuthenticatorConfig) *Authenticator {
	if config.CacheTTL < 0 {
		config.CacheTTL = 0
	}
	if config.FlushInterval <= 0 {
		config.FlushInterval = 30 * time.Second
	}
	return &Authenticator{
		client:   client,
		config:   config,
		cache:    make(map[string]cachedKey),
		lastUsed: make(map[string]time.Time),
	}
}

// BearerToken extracts the token of an Authorization header value.
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// Authenticate returns the principal of a raw key, or ErrInvalidKey.
func (a *Authenticator) Authenticate(ctx context.Context, raw string) (*Principal, error) {
	wellFormed, _ := WellFormed(raw)
	if !wellFormed {
		return nil, ErrInvalidKey
	}
	hash := HashKey(raw)
	now := time.Now()

	a.mu.Lock()
	cached, ok := a.cache[hash]
	a.mu.Unlock()
	if !ok || now.Sub(cached.loadedAt) >= a.config.CacheTTL {
		loaded, err := a.load(ctx, hash, now)
		if err != nil {
			return nil, err
		}
		cached = loaded
	}

	if cached.principal == nil || (cached.expiresAt != nil && !now.Before(*cached.expiresAt)) {
		return nil, ErrInvalidKey
	}

	a.mu.Lock()
	a.lastUsed[cached.principal.KeyID] = now
	a.mu.Unlock()
	return cached.principal, nil
}

// load reads a key by hash and caches the result, including "no such key", so
// a flood of bad keys costs one lookup per key per TTL.
func (a *Authenticator) load(ctx context.Context, hash string, now time.Time) (cachedKey, error) {
	key, err := a.client.APIKey.Query().
		Where(apikey.Hash(hash), apikey.RevokedAtIsNil()).
		Only(privacy.DecisionContext(ctx, privacy.Allow))

	entry := cachedKey{loadedAt: now}
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return cachedKey{}, fmt.Errorf("looking up the API key: %w", err)
	default:
		scopes := make([]Scope, len(key.Scopes))
		for i, name := range key.Scopes {
			scopes[i] = Scope(name)
		}
		entry.principal = &Principal{
			OrgID:  key.OrgID,
			KeyID:  key.ID,
			Scopes: NewScopeSet(scopes...),
			Test:   key.Mode == apikey.ModeTEST,
		}
		entry.expiresAt = key.ExpiresAt
	}

	a.mu.Lock()
	if len(a.cache) > 10_000 {
		// A crude bound: forget everything rather than grow without limit
		// under a flood of distinct bad keys.
		a.cache = make(map[string]cachedKey)
	}
	a.cache[hash] = entry
	a.mu.Unlock()
	return entry, nil
}

// Run writes last-use times every FlushInterval until ctx ends, then once more.
func (a *Authenticator) Run(ctx context.Context) {
	ticker := time.NewTicker(a.config.FlushInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			a.Flush(flushCtx)
			cancel()
			return
		case <-ticker.C:
			a.Flush(ctx)
		}
	}
}

// Flush writes the collected last-use times, one update per key used since the
// previous flush.
func (a *Authenticator) Flush(ctx context.Context) {
	a.mu.Lock()
	pending := a.lastUsed
	a.lastUsed = make(map[string]time.Time)
	a.mu.Unlock()

	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	for keyID, usedAt := range pending {
		err := a.client.APIKey.UpdateOneID(keyID).
			SetLastUsedAt(usedAt.UTC().Truncate(time.Millisecond)).
			Exec(ctx)
		if err != nil && !ent.IsNotFound(err) {
			slog.WarnContext(ctx, "recording the last use of an API key failed", "key_id", keyID, "error", err)
		}
	}
}
