package mrr

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/money"
)

// AccountMRR returns the sum of the MRR of the service lines of the
// account's ACTIVE contracts. It reads as the system inside the caller's org,
// so a key without contracts:read still gets the figure and an account of
// another org is not found.
func AccountMRR(ctx context.Context, client *ent.Client, accountID string) (money.Cents, error) {
	scope := callerScope(ctx)
	if _, err := client.Account.Query().Where(account.ID(accountID)).OnlyID(scope); err != nil {
		return 0, fmt.Errorf("looking up account %s: %w", accountID, err)
	}
	return sumActiveLines(scope, client, accountID)
}

// RefreshAccount recomputes the account's currentMrr and stores it when it
// changed, as the system, and returns the new value. Pass the client of the
// open transaction to run inside it. On PostgreSQL the account row stays
// locked until that transaction ends, so concurrent refreshes of one account
// cannot overwrite each other with stale sums.
func RefreshAccount(ctx context.Context, client *ent.Client, accountID string) (money.Cents, error) {
	scope := callerScope(ctx)
	orgID, err := client.Account.Query().
		Where(account.ID(accountID)).
		Select(account.FieldOrgID).
		Modify(lockRow).
		String(scope)
	if err != nil {
		return 0, fmt.Errorf("locking account %s: %w", accountID, err)
	}
	scope = auth.SystemContext(ctx, orgID)

	value, err := sumActiveLines(scope, client, accountID)
	if err != nil {
		return 0, err
	}
	// Writing only a changed value keeps updatedAt, and the syncs that
	// follow it, still when nothing moved.
	_, err = client.Account.Update().
		Where(account.ID(accountID), account.CurrentMrrNEQ(value)).
		SetCurrentMrr(value).
		Save(scope)
	if err != nil {
		return 0, fmt.Errorf("storing the MRR of account %s: %w", accountID, err)
	}
	return value, nil
}

// sumActiveLines adds up the MRR of the service lines of the account's ACTIVE
// contracts.
func sumActiveLines(ctx context.Context, client *ent.Client, accountID string) (money.Cents, error) {
	lines, err := client.ServiceLine.Query().
		Where(serviceline.HasContractWith(contract.AccountID(accountID), contract.StatusEQ(contract.StatusACTIVE))).
		Select(serviceline.FieldQuantity, serviceline.FieldUnitPrice, serviceline.FieldBillingFrequency).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("loading the service lines of account %s: %w", accountID, err)
	}

	var total money.Cents
	for _, line := range lines {
		total += ServiceLineMRR(line.Quantity, line.UnitPrice, line.BillingFrequency)
	}
	return total, nil
}

// callerScope returns a context that acts as the system inside the caller's
// org: MRR is derived data that scopes do not guard, but the org still does.
// With no principal or an org-less system principal (maintenance jobs) it
// reads every org.
func callerScope(ctx context.Context) context.Context {
	principal := auth.FromContext(ctx)
	if principal == nil || principal.OrgID == "" {
		return auth.WithPrincipal(ctx, &auth.Principal{System: true})
	}
	return auth.SystemContext(ctx, principal.OrgID)
}

// lockRow makes a SELECT lock the rows it reads until the transaction ends,
// on PostgreSQL. In PostgreSQL's row-lock table FOR NO KEY UPDATE does not
// conflict with FOR KEY SHARE, the lock a foreign-key insert takes on the row
// it references, so a concurrent insert of a contract does not wait on it.
// SQLite has no row locks, but its write transactions exclude each other.
func lockRow(selector *sql.Selector) {
	if selector.Dialect() == dialect.Postgres {
		selector.For(sql.LockNoKeyUpdate)
	}
}
