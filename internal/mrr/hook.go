package mrr

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
)

// Hook returns the ent hook that keeps Account.current_mrr current: after any
// create, update or delete of a Contract or a ServiceLine it refreshes every
// account the write touched, through the mutation's client. A contract or
// line moved to another account refreshes both accounts. On any other entity
// type the hook does nothing.
//
// The refresh joins the write's transaction when the write runs in one, as
// every REST and GraphQL write does. A write outside a transaction is
// committed before the refresh runs, so a failed refresh leaves the old
// currentMrr until the next write to that account.
func Hook() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			switch mutation := m.(type) {
			case *ent.ContractMutation:
				return refreshAround(ctx, next, mutation, contractAccounts)
			case *ent.ServiceLineMutation:
				return refreshAround(ctx, next, mutation, serviceLineAccounts)
			}
			return next.Mutate(ctx, m)
		})
	}
}

// trackedMutation is the part of a Contract or ServiceLine mutation that the
// hook uses.
type trackedMutation interface {
	entgo.Mutation
	Client() *ent.Client
	ID() (string, bool)
	IDs(ctx context.Context) ([]string, error)
}

// accountsOfFunc returns the IDs of the accounts that the records with the
// given IDs belong to.
type accountsOfFunc func(ctx context.Context, client *ent.Client, ids []string) ([]string, error)

// refreshAround runs the write and then refreshes the accounts its records
// belonged to before it and belong to after it.
func refreshAround(ctx context.Context, next entgo.Mutator, m trackedMutation, accountsOf accountsOfFunc) (entgo.Value, error) {
	client := m.Client()
	scope := callerScope(ctx)

	// Updates and deletes name their records by predicate, so the records
	// and their accounts are read before the write changes or removes them.
	var ids, before []string
	if !m.Op().Is(entgo.OpCreate) {
		var err error
		if ids, err = m.IDs(scope); err != nil {
			return nil, fmt.Errorf("listing the %s records being written: %w", m.Type(), err)
		}
		if before, err = accountsOf(scope, client, ids); err != nil {
			return nil, err
		}
	}

	value, err := next.Mutate(ctx, m)
	if err != nil {
		return nil, err
	}

	if m.Op().Is(entgo.OpCreate) {
		if created, ok := m.ID(); ok {
			ids = []string{created}
		}
	}
	after, err := accountsOf(scope, client, ids)
	if err != nil {
		return nil, err
	}

	seen := make(map[string]bool)
	for _, accountID := range append(before, after...) {
		if seen[accountID] {
			continue
		}
		seen[accountID] = true
		if _, err := RefreshAccount(ctx, client, accountID); err != nil {
			return nil, fmt.Errorf("refreshing the MRR after a %s write: %w", m.Type(), err)
		}
	}
	return value, nil
}

func contractAccounts(ctx context.Context, client *ent.Client, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	accountIDs, err := client.Contract.Query().
		Where(contract.IDIn(ids...)).
		Select(contract.FieldAccountID).
		Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the accounts of %d contracts: %w", len(ids), err)
	}
	return accountIDs, nil
}

func serviceLineAccounts(ctx context.Context, client *ent.Client, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	accountIDs, err := client.Contract.Query().
		Where(contract.HasServiceLinesWith(serviceline.IDIn(ids...))).
		Select(contract.FieldAccountID).
		Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the accounts of %d service lines: %w", len(ids), err)
	}
	return accountIDs, nil
}
