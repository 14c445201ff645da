// Package bulk holds the bulk write algorithms that the REST and GraphQL
// layers share: upserts of accounts by externalId, of contacts by email
// (case-insensitive) and of devices by rmmAgentId, and creation of deals.
//
// Every function validates the whole batch before it writes anything and
// reports every problem at once, with paths such as ["devices", 3,
// "hostname"]. A valid batch then applies in one transaction with a number of
// SQL statements that does not grow with the batch: one SELECT of the
// existing rows by key, one query per referenced entity type, one multi-row
// INSERT of the new rows and one multi-row INSERT … ON CONFLICT DO UPDATE of
// the changed rows. An item that changes nothing is reported as updated but
// is not written, so its updatedAt stays and no update event can fire for it.
//
// NOTE: ent runs the hooks of every builder of a CreateBulk, and some hooks
// query per row (tenant.CheckReferences looks up each row's references,
// rules.DealStage loads the pipeline for each deal, and
// rules.SinglePrimaryAccountContact clears other primaries for each primary
// link). Those statements come on top of the bounded ones above.
package bulk

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/tenant"
)

// MaxItems is the largest number of items one bulk request may carry.
const MaxItems = 500

// Action is what a bulk write did with one item.
type Action string

// The actions of the public API's bulk responses.
const (
	ActionCreated Action = "created"
	ActionUpdated Action = "updated"
)

// problems collects the validation details of a batch, with full paths.
type problems []apierr.Detail

// add records a problem at path.
func (p *problems) add(path []any, format string, args ...any) {
	*p = append(*p, apierr.Detail{Path: path, Message: fmt.Sprintf(format, args...)})
}

// addItem records the problems of item index of list, whose paths are
// relative to the item.
func (p *problems) addItem(list string, index int, details []apierr.Detail) {
	for _, detail := range details {
		path := append([]any{list, index}, detail.Path...)
		*p = append(*p, apierr.Detail{Path: path, Message: detail.Message})
	}
}

// err returns the validation error of the collected problems, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return apierr.Validation(p...)
}

// checkSize rejects a batch of more than MaxItems items.
func checkSize(list string, count int) error {
	if count > MaxItems {
		return apierr.Validation(apierr.Detail{
			Path:    []any{list},
			Message: fmt.Sprintf("contains %d items; send at most %d per request", count, MaxItems),
		})
	}
	return nil
}

// callerOrg returns the org the caller acts in. Bulk writes always write into
// exactly one org.
func callerOrg(ctx context.Context) (string, error) {
	principal := auth.FromContext(ctx)
	if principal == nil {
		return "", apierr.New(apierr.Unauthorized, "a valid API key is required")
	}
	if principal.OrgID == "" {
		return "", fmt.Errorf("bulk write without an org: the principal must act inside one org")
	}
	return principal.OrgID, nil
}

// repeatedKeys reports every item whose key already appeared at an earlier
// index, naming that index. Items with an empty key are skipped, because
// their key problem is reported by validation. display is the key as the
// client sent it, for the message.
func repeatedKeys(p *problems, list, field string, keys, display []string) {
	first := make(map[string]int, len(keys))
	for i, key := range keys {
		if key == "" {
			continue
		}
		if earlier, seen := first[key]; seen {
			p.add([]any{list, i, field}, "%s %s also appears at index %d; send each %s once per request", field, display[i], earlier, field)
			continue
		}
		first[key] = i
	}
}

// lockRows makes a SELECT of rows that are about to be updated lock them on
// PostgreSQL, so a concurrent write cannot slip in between the read and the
// upsert. SQLite has no row locks; its write transactions already exclude
// each other.
func lockRows(selector *sql.Selector) {
	if selector.Dialect() == dialect.Postgres {
		selector.ForUpdate()
	}
}

// existingSet returns which of ids name records of the org, with one query
// per entity type. The lookup bypasses scopes (a key that may write devices
// may name an account it cannot read) but never the org.
func existingSet(ctx context.Context, tx *ent.Client, orgID string, ids []string) (map[string]bool, error) {
	set := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return set, nil
	}
	found, err := tenant.ExistingIDs(ctx, tx, orgID, unique(ids))
	if err != nil {
		return nil, fmt.Errorf("checking the references: %w", err)
	}
	for _, refID := range found {
		set[refID] = true
	}
	return set, nil
}

// unique returns values without repeats, in first-seen order.
func unique(values []string) []string {
	seen := make(map[string]bool, len(values))
	out := make([]string, 0, len(values))
	for _, value := range values {
		if !seen[value] {
			seen[value] = true
			out = append(out, value)
		}
	}
	return out
}

// nonEmpty returns the non-empty values without repeats.
func nonEmpty(values []string) []string {
	out := make([]string, 0, len(values))
	for _, value := range unique(values) {
		if value != "" {
			out = append(out, value)
		}
	}
	return out
}

// now returns the current time at the precision timestamps are stored with.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// withCheckedReferences returns the context for a batch's writes, given the
// referenced IDs the batch has already found in the org, so the per-row
// reference hook does not query them again.
func withCheckedReferences(ctx context.Context, orgID string, ids []string) context.Context {
	return tenant.WithCheckedReferences(ctx, orgID, ids)
}
