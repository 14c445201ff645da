package auth

import "context"

// Principal is the caller of a request: an API key of one org, or the system
// itself (the CLI, background jobs) acting inside one org.
type Principal struct {
	OrgID  string
	KeyID  string
	Scopes ScopeSet
	// Test is true for msp_test_ keys, whose events are recorded but never
	// delivered.
	Test bool
	// System grants every scope, including writes that no API key can make
	// (API keys, contracts, compliance items, churn-risk snapshots).
	System bool
}

// Grants reports whether the principal may act with the scope.
func (p *Principal) Grants(scope Scope) bool {
	if p == nil {
		return false
	}
	return p.System || p.Scopes.Grants(scope)
}

type principalKey struct{}

// WithPrincipal returns a context that carries the principal.
func WithPrincipal(ctx context.Context, principal *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, principal)
}

// FromContext returns the principal of the context, or nil.
func FromContext(ctx context.Context) *Principal {
	principal, _ := ctx.Value(principalKey{}).(*Principal)
	return principal
}

// SystemContext returns a context acting as the system inside one org, for the
// CLI and background jobs.
func SystemContext(ctx context.Context, orgID string) context.Context {
	return WithPrincipal(ctx, &Principal{OrgID: orgID, System: true})
}
