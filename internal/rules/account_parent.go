package rules

import (
	"context"
	"fmt"
	"strings"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// MaxAccountAncestors is the maximum number of ancestors (parent, grandparent
// and so on) that an account may have. It also bounds the walks up and down
// the hierarchy that look for cycles and depth.
//
// NOTE: the bulk upsert checks the accounts of its batch, not the
// descendants they move down with them.
const MaxAccountAncestors = 100

// AccountParent rejects a parentAccountId that would break the account
// hierarchy, as a validation error on parentAccountId. It rejects the account
// itself, one of its descendants (which would make a cycle), a parent whose
// own parent chain already loops, and a parent too deep. A parent is too
// deep when it would give the account, or one of the descendants it moves
// with it, more than MaxAccountAncestors ancestors.
//
// The hook reads the hierarchy through the mutation's client, as the system
// inside the account's org, so it joins the mutation's transaction. On
// PostgreSQL it locks the ancestors it reads (FOR SHARE) until that
// transaction ends, so a concurrent transaction cannot change their parents
// and close a cycle that neither transaction would detect. Without a
// transaction the locks end with each read.
//
// Two transactions that lock each other's accounts this way (one sets A's
// parent to B while the other sets B's parent to A) deadlock, and PostgreSQL
// aborts one of them. The API reports that as 503 service_unavailable, and
// the retry then finds the other write and rejects the cycle.
//
// An update that sets the parent an account already has is not checked. A
// context from WithCheckedAccountParents skips the check, because the bulk
// upsert checks a whole batch against the hierarchy it leaves behind.
func AccountParent() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.AccountFunc(func(ctx context.Context, m *ent.AccountMutation) (entgo.Value, error) {
			parentID, set := m.ParentAccountID()
			if !set {
				return next.Mutate(ctx, m)
			}
			orgID, err := accountOrg(ctx, m)
			if err != nil {
				return nil, err
			}
			if parentsChecked(ctx, orgID) {
				return next.Mutate(ctx, m)
			}

			if m.Op().Is(entgo.OpUpdateOne) {
				old, err := m.OldParentAccountID(ctx)
				if err != nil {
					return nil, fmt.Errorf("reading the account's parent: %w", err)
				}
				if old != nil && *old == parentID {
					return next.Mutate(ctx, m)
				}
			}

			moving, err := accountsGettingParent(ctx, m)
			if err != nil {
				return nil, err
			}
			system := auth.SystemContext(ctx, orgID)
			problem, ancestors, err := walkAncestors(system, parentID, moving, storedParent(m.Client()))
			if err != nil {
				return nil, err
			}
			if problem == "" && !m.Op().Is(entgo.OpCreate) {
				problem, err = checkSubtreeDepth(system, m.Client(), ancestors, moving)
				if err != nil {
					return nil, err
				}
			}
			if problem != "" {
				return nil, apierr.Invalid("parentAccountId", "%s", problem)
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne|entgo.OpUpdate)
}

// checkSubtreeDepth returns why a move that leaves each moving account with
// the given number of ancestors would give one of its descendants more than
// MaxAccountAncestors, or "" when none gets too many.
func checkSubtreeDepth(ctx context.Context, client *ent.Client, ancestors int, moving map[string]bool) (string, error) {
	// Walk down one level of descendants at a time: the moving accounts
	// are at depth 0 and have the parent's chain as their ancestors.
	frontier := make([]string, 0, len(moving))
	for accountID := range moving {
		frontier = append(frontier, accountID)
	}
	for depth := 0; len(frontier) > 0; depth++ {
		if ancestors+depth > MaxAccountAncestors {
			return fmt.Sprintf("would give the descendants of the account more than %d ancestors, the maximum depth of an account hierarchy. Choose a parent nearer the top of the hierarchy.",
				MaxAccountAncestors), nil
		}
		children, err := client.Account.Query().Where(account.ParentAccountIDIn(frontier...)).IDs(ctx)
		if err != nil {
			return "", fmt.Errorf("reading the descendants of %d accounts: %w", len(frontier), err)
		}
		frontier = children
	}
	return "", nil
}

// ParentLookup returns the parent of an account: nil for an account at the
// top of its hierarchy, and found false for an ID that names no account of
// the org.
type ParentLookup func(ctx context.Context, accountID string) (parent *string, found bool, err error)

// ValidateAccountParent walks up the hierarchy from parentID, the new parent
// of the accounts in moving, and returns why that parent is invalid, or ""
// when it is valid. The problem is a message for the parentAccountId field.
// It looks up at most MaxAccountAncestors accounts. The error is set only
// when parentOf fails.
func ValidateAccountParent(ctx context.Context, parentID string, moving map[string]bool, parentOf ParentLookup) (string, error) {
	problem, _, err := walkAncestors(ctx, parentID, moving, parentOf)
	return problem, err
}

// walkAncestors is ValidateAccountParent that also returns, for a valid
// parent, how many ancestors the moving accounts get: the parent and its
// own ancestors.
func walkAncestors(ctx context.Context, parentID string, moving map[string]bool, parentOf ParentLookup) (string, int, error) {
	visited := make(map[string]bool)
	var chain []string
	current := parentID
	for range MaxAccountAncestors {
		chain = append(chain, current)
		switch {
		case moving[current] && current == parentID:
			return "is the account's own ID, and an account cannot be its own parent", 0, nil
		case moving[current]:
			return fmt.Sprintf("would make a cycle, because %s is a descendant of %s (parent chain %s). Choose a parent that is not below %s.",
				parentID, current, describeChain(chain), current), 0, nil
		case visited[current]:
			return fmt.Sprintf("refers to %s, whose parent chain already loops back to %s. Clear the parent of an account in that loop first.",
				parentID, current), 0, nil
		}
		visited[current] = true

		next, found, err := parentOf(ctx, current)
		if err != nil {
			return "", 0, err
		}
		if !found {
			return fmt.Sprintf("refers to %s, which was not found in this org", current), 0, nil
		}
		if next == nil {
			return "", len(chain), nil
		}
		current = *next
	}
	return fmt.Sprintf("would give the account more than %d ancestors, the maximum depth of an account hierarchy. Choose a parent nearer the top of the hierarchy.",
		MaxAccountAncestors), 0, nil
}

// describeChain joins account IDs with arrows from child to parent, leaving
// out the middle of a long chain so the message stays short.
func describeChain(chain []string) string {
	const shownAtEachEnd = 3
	if len(chain) <= 2*shownAtEachEnd {
		return strings.Join(chain, " → ")
	}
	head := strings.Join(chain[:shownAtEachEnd], " → ")
	tail := strings.Join(chain[len(chain)-shownAtEachEnd:], " → ")
	return fmt.Sprintf("%s → … %d more … → %s", head, len(chain)-2*shownAtEachEnd, tail)
}

// storedParent looks parents up through client, locking each row read on
// PostgreSQL.
func storedParent(client *ent.Client) ParentLookup {
	return func(ctx context.Context, accountID string) (*string, bool, error) {
		query := client.Account.Query().Where(account.ID(accountID))
		query.Modify(LockForShare)
		row, err := query.Only(ctx)
		switch {
		case ent.IsNotFound(err):
			return nil, false, nil
		case err != nil:
			return nil, false, fmt.Errorf("reading the parent of account %s: %w", accountID, err)
		}
		return row.ParentAccountID, true, nil
	}
}

// LockForShare makes a SELECT lock the rows it reads against updates until
// the transaction ends, on PostgreSQL. SQLite has no row locks, and its write
// transactions already exclude each other.
func LockForShare(selector *sql.Selector) {
	if selector.Dialect() == dialect.Postgres {
		selector.ForShare()
	}
}

// accountsGettingParent returns the IDs of the accounts that the mutation
// gives a parent: the new account on create, the matched accounts on update.
func accountsGettingParent(ctx context.Context, m *ent.AccountMutation) (map[string]bool, error) {
	moving := make(map[string]bool)
	if m.Op().Is(entgo.OpCreate) {
		// The ID default is applied before the hooks run, so a new account
		// always has one here.
		if accountID, ok := m.ID(); ok {
			moving[accountID] = true
		}
		return moving, nil
	}

	ids, err := m.IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the accounts to update: %w", err)
	}
	for _, accountID := range ids {
		moving[accountID] = true
	}
	return moving, nil
}

// accountOrg returns the org of the accounts that the mutation writes. An
// update of many accounts writes in the caller's org, and in every org for a
// system principal without one, which then returns "".
func accountOrg(ctx context.Context, m *ent.AccountMutation) (string, error) {
	if orgID, ok := m.OrgID(); ok {
		return orgID, nil
	}
	if m.Op().Is(entgo.OpUpdateOne) {
		orgID, err := m.OldOrgID(ctx)
		if err != nil {
			return "", fmt.Errorf("reading the account's org: %w", err)
		}
		return orgID, nil
	}
	if principal := auth.FromContext(ctx); principal != nil {
		return principal.OrgID, nil
	}
	return "", nil
}

type checkedParentsKey struct{}

// WithCheckedAccountParents returns a context in which AccountParent does not
// check the parents of the org's accounts, for a caller that has checked
// them itself. The bulk upsert checks the whole batch against the hierarchy
// that the batch leaves behind. The hook of each row would check against
// the hierarchy before the batch, so it could reject a valid batch, such as
// one that moves A to the top and B under A when B was A's parent. Only
// server code can put values in a context, so clients cannot skip the check.
func WithCheckedAccountParents(ctx context.Context, orgID string) context.Context {
	return context.WithValue(ctx, checkedParentsKey{}, orgID)
}

func parentsChecked(ctx context.Context, orgID string) bool {
	checkedOrg, ok := ctx.Value(checkedParentsKey{}).(string)
	return ok && checkedOrg == orgID
}
