// Package auth holds the API key format, the scope model and the principal
// that every request carries in its context.
package auth

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Scope grants one kind of access to one resource, such as accounts:read.
type Scope string

// The scopes of the public API. A write scope implies its read scope, and
// admin:read implies every read scope but no write scope.
const (
	AccountsRead     Scope = "accounts:read"
	AccountsWrite    Scope = "accounts:write"
	ContactsRead     Scope = "contacts:read"
	ContactsWrite    Scope = "contacts:write"
	DealsRead        Scope = "deals:read"
	DealsWrite       Scope = "deals:write"
	HealthRead       Scope = "health:read"
	HealthWrite      Scope = "health:write"
	TouchpointsRead  Scope = "touchpoints:read"
	TouchpointsWrite Scope = "touchpoints:write"
	DevicesRead      Scope = "devices:read"
	DevicesWrite     Scope = "devices:write"
	TasksRead        Scope = "tasks:read"
	TasksWrite       Scope = "tasks:write"
	NotesRead        Scope = "notes:read"
	NotesWrite       Scope = "notes:write"
	MRRRead          Scope = "mrr:read"
	LeadsRead        Scope = "leads:read"
	LeadsWrite       Scope = "leads:write"
	ComplianceRead   Scope = "compliance:read"
	AdminRead        Scope = "admin:read"
	// ContractsRead is an extension of the reference's list: contracts and
	// their service lines carry prices, so they have a scope of their own.
	ContractsRead Scope = "contracts:read"
	// WebhooksWrite is an extension that manages webhook endpoints through
	// GraphQL. admin:read does not imply it, so a read-only integration can
	// never point the org's events at a new URL.
	WebhooksWrite Scope = "webhooks:write"
)

// AllScopes lists every scope a key can be granted, in documentation order.
var AllScopes = []Scope{
	AccountsRead, AccountsWrite, ContactsRead, ContactsWrite, DealsRead, DealsWrite,
	HealthRead, HealthWrite, TouchpointsRead, TouchpointsWrite, DevicesRead, DevicesWrite,
	TasksRead, TasksWrite, NotesRead, NotesWrite, MRRRead, LeadsRead, LeadsWrite,
	ComplianceRead, AdminRead, ContractsRead, WebhooksWrite,
}

// IsRead reports whether the scope grants reading.
func (s Scope) IsRead() bool { return strings.HasSuffix(string(s), ":read") }

// resource returns the part before the colon: accounts for accounts:write.
func (s Scope) resource() string {
	resource, _, _ := strings.Cut(string(s), ":")
	return resource
}

// ParseScope validates one scope name.
func ParseScope(name string) (Scope, error) {
	scope := Scope(strings.TrimSpace(name))
	if !slices.Contains(AllScopes, scope) {
		return "", fmt.Errorf("unknown scope %q; valid scopes are %s", name, JoinScopes(AllScopes))
	}
	return scope, nil
}

// ParseScopes validates a list of scope names, dropping duplicates.
func ParseScopes(names []string) ([]Scope, error) {
	var scopes []Scope
	for _, name := range names {
		scope, err := ParseScope(name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(scopes, scope) {
			scopes = append(scopes, scope)
		}
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("at least one scope is required; valid scopes are %s", JoinScopes(AllScopes))
	}
	return scopes, nil
}

// JoinScopes renders scopes as a comma-separated list.
func JoinScopes(scopes []Scope) string {
	names := make([]string, len(scopes))
	for i, scope := range scopes {
		names[i] = string(scope)
	}
	return strings.Join(names, ", ")
}

// ScopeSet is the set of scopes granted to a principal.
type ScopeSet map[Scope]struct{}

// NewScopeSet builds a set from granted scopes.
func NewScopeSet(scopes ...Scope) ScopeSet {
	set := make(ScopeSet, len(scopes))
	for _, scope := range scopes {
		set[scope] = struct{}{}
	}
	return set
}

// Grants reports whether the set grants the required scope: directly, through
// the write scope of the same resource, or through admin:read for a read.
func (s ScopeSet) Grants(required Scope) bool {
	if _, ok := s[required]; ok {
		return true
	}
	if !required.IsRead() {
		return false
	}
	if _, ok := s[AdminRead]; ok {
		return true
	}
	_, ok := s[Scope(required.resource()+":write")]
	return ok
}

// List returns the granted scopes in a stable order.
func (s ScopeSet) List() []Scope {
	scopes := make([]Scope, 0, len(s))
	for scope := range s {
		scopes = append(scopes, scope)
	}
	sort.Slice(scopes, func(i, j int) bool { return scopes[i] < scopes[j] })
	return scopes
}
