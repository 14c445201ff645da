package rules_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/testdb"
)

// requireParentError checks that err is a validation_error on
// parentAccountId whose message contains text.
func requireParentError(t *testing.T, err error, text string) {
	t.Helper()
	require.Error(t, err)
	apiErr := apierr.From(err)
	require.Equal(t, apierr.ValidationError, apiErr.Code, "error: %v", err)
	require.Len(t, apiErr.Details, 1, "details: %+v", apiErr.Details)
	require.Equal(t, []any{"parentAccountId"}, apiErr.Details[0].Path)
	require.Contains(t, apiErr.Details[0].Message, text)
}

func newAccount(t *testing.T, ctx context.Context, client *ent.Client, name string, parentID *string) *ent.Account {
	t.Helper()
	created, err := client.Account.Create().SetName(name).SetNillableParentAccountID(parentID).Save(ctx)
	require.NoError(t, err)
	return created
}

// uncheckedContext skips the parent check, to store hierarchies that the
// hook would reject, as data written before the check existed would be.
func uncheckedContext(ctx context.Context) context.Context {
	return rules.WithCheckedAccountParents(ctx, auth.FromContext(ctx).OrgID)
}

func TestAccountParentRejectsSelf(t *testing.T) {
	ctx, client := setup(t)
	acme := newAccount(t, ctx, client, "Acme", nil)

	_, err := client.Account.UpdateOneID(acme.ID).SetParentAccountID(acme.ID).Save(ctx)
	requireParentError(t, err, "cannot be its own parent")

	stored, err := client.Account.Get(ctx, acme.ID)
	require.NoError(t, err)
	require.Nil(t, stored.ParentAccountID)
}

func TestAccountParentRejectsCycles(t *testing.T) {
	ctx, client := setup(t)
	top := newAccount(t, ctx, client, "Top", nil)
	middle := newAccount(t, ctx, client, "Middle", &top.ID)
	bottom := newAccount(t, ctx, client, "Bottom", &middle.ID)

	_, err := client.Account.UpdateOneID(top.ID).SetParentAccountID(middle.ID).Save(ctx)
	requireParentError(t, err, fmt.Sprintf("would make a cycle, because %s is a descendant of %s", middle.ID, top.ID))

	_, err = client.Account.UpdateOneID(top.ID).SetParentAccountID(bottom.ID).Save(ctx)
	requireParentError(t, err, fmt.Sprintf("(parent chain %s → %s → %s)", bottom.ID, middle.ID, top.ID))

	stored, err := client.Account.Get(ctx, top.ID)
	require.NoError(t, err)
	require.Nil(t, stored.ParentAccountID, "a rejected update leaves the parent unchanged")
}

func TestAccountParentAllowsMovesOutsideSubtree(t *testing.T) {
	ctx, client := setup(t)
	top := newAccount(t, ctx, client, "Top", nil)
	middle := newAccount(t, ctx, client, "Middle", &top.ID)
	bottom := newAccount(t, ctx, client, "Bottom", &middle.ID)
	other := newAccount(t, ctx, client, "Other", nil)

	moved, err := client.Account.UpdateOneID(bottom.ID).SetParentAccountID(top.ID).Save(ctx)
	require.NoError(t, err)
	require.Equal(t, top.ID, *moved.ParentAccountID)

	moved, err = client.Account.UpdateOneID(top.ID).SetParentAccountID(other.ID).Save(ctx)
	require.NoError(t, err)
	require.Equal(t, other.ID, *moved.ParentAccountID)

	cleared, err := client.Account.UpdateOneID(middle.ID).ClearParentAccountID().Save(ctx)
	require.NoError(t, err)
	require.Nil(t, cleared.ParentAccountID)
}

func TestAccountParentChecksUpdatesByPredicate(t *testing.T) {
	ctx, client := setup(t)
	top := newAccount(t, ctx, client, "Top", nil)
	child := newAccount(t, ctx, client, "Child", &top.ID)
	loose := newAccount(t, ctx, client, "Loose", nil)
	other := newAccount(t, ctx, client, "Other", nil)

	_, err := client.Account.Update().Where(account.IDIn(top.ID, loose.ID)).SetParentAccountID(child.ID).Save(ctx)
	requireParentError(t, err, fmt.Sprintf("%s is a descendant of %s", child.ID, top.ID))

	_, err = client.Account.Update().Where(account.IDIn(top.ID, loose.ID)).SetParentAccountID(loose.ID).Save(ctx)
	requireParentError(t, err, "cannot be its own parent")

	updated, err := client.Account.Update().Where(account.IDIn(top.ID, loose.ID)).SetParentAccountID(other.ID).Save(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, updated)
}

func TestAccountParentLimitsDepth(t *testing.T) {
	ctx, client := setup(t)

	// chain[0] is the top; chain[i] has i ancestors.
	chain := make([]*ent.Account, rules.MaxAccountAncestors+1)
	unchecked := uncheckedContext(ctx)
	for i := range chain {
		var parentID *string
		if i > 0 {
			parentID = &chain[i-1].ID
		}
		chain[i] = newAccount(t, unchecked, client, fmt.Sprintf("Level %03d", i), parentID)
	}

	deepest := newAccount(t, ctx, client, "Deepest allowed", &chain[rules.MaxAccountAncestors-1].ID)
	require.Equal(t, chain[rules.MaxAccountAncestors-1].ID, *deepest.ParentAccountID)

	_, err := client.Account.Create().SetName("Too deep").SetParentAccountID(chain[rules.MaxAccountAncestors].ID).Save(ctx)
	requireParentError(t, err, fmt.Sprintf("more than %d ancestors", rules.MaxAccountAncestors))
}

func TestAccountParentLimitsTheDepthOfAMovedSubtree(t *testing.T) {
	ctx, client := setup(t)

	// A chain of 60 accounts and a subtree of 41. Moving the subtree's top
	// under the chain's bottom gives its deepest account 60 + 40 ancestors,
	// the maximum, so one level more is rejected.
	build := func(prefix string, length int) []*ent.Account {
		accounts := make([]*ent.Account, length)
		for i := range accounts {
			var parentID *string
			if i > 0 {
				parentID = &accounts[i-1].ID
			}
			accounts[i] = newAccount(t, ctx, client, fmt.Sprintf("%s %03d", prefix, i), parentID)
		}
		return accounts
	}
	chain := build("Chain", 60)
	subtree := build("Subtree", 41)

	require.NoError(t, client.Account.UpdateOne(subtree[0]).SetParentAccountID(chain[59].ID).Exec(ctx))
	require.NoError(t, client.Account.UpdateOne(subtree[0]).ClearParentAccountID().Exec(ctx))

	newAccount(t, ctx, client, "One level more", &subtree[40].ID)
	err := client.Account.UpdateOne(subtree[0]).SetParentAccountID(chain[59].ID).Exec(ctx)
	requireParentError(t, err, "descendants of the account")
}

func TestAccountParentRejectsLoopAbove(t *testing.T) {
	ctx, client := setup(t)
	unchecked := uncheckedContext(ctx)
	first := newAccount(t, ctx, client, "First", nil)
	second := newAccount(t, ctx, client, "Second", &first.ID)
	_, err := client.Account.UpdateOneID(first.ID).SetParentAccountID(second.ID).Save(unchecked)
	require.NoError(t, err)

	_, err = client.Account.Create().SetName("Below the loop").SetParentAccountID(second.ID).Save(ctx)
	requireParentError(t, err, fmt.Sprintf("refers to %s, whose parent chain already loops back to %s", second.ID, second.ID))

	_, err = client.Account.UpdateOneID(first.ID).SetParentAccountID(second.ID).SetName("First renamed").Save(ctx)
	require.NoError(t, err, "an update that keeps the stored parent is not checked")
}

func TestValidateAccountParentStopsAtLimit(t *testing.T) {
	lookups := 0
	endless := func(_ context.Context, accountID string) (*string, bool, error) {
		lookups++
		parent := fmt.Sprintf("acc_%d", lookups)
		return &parent, true, nil
	}

	problem, err := rules.ValidateAccountParent(context.Background(), "acc_0", map[string]bool{"acc_child": true}, endless)
	require.NoError(t, err)
	require.Contains(t, problem, fmt.Sprintf("more than %d ancestors", rules.MaxAccountAncestors))
	require.Equal(t, rules.MaxAccountAncestors, lookups)
}

// TestAccountParentLocksAncestors runs two transactions that would each make
// half of a cycle: the first sets A's parent to B, the second B's parent to
// A. The second must wait for the first, then see its write and fail. It
// needs PostgreSQL, because SQLite runs one write transaction at a time.
func TestAccountParentLocksAncestors(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("needs " + testdb.PostgresEnv)
	}
	ctx, client := setup(t)
	a := newAccount(t, ctx, client, "A", nil)
	b := newAccount(t, ctx, client, "B", nil)

	first, err := client.Tx(ctx)
	require.NoError(t, err)
	defer func() { _ = first.Rollback() }()
	_, err = first.Client().Account.UpdateOneID(a.ID).SetParentAccountID(b.ID).Save(ctx)
	require.NoError(t, err)

	secondDone := make(chan error, 1)
	go func() {
		secondDone <- database.WithTx(ctx, client, func(txCtx context.Context) error {
			_, err := database.Client(txCtx, client).Account.UpdateOneID(b.ID).SetParentAccountID(a.ID).Save(txCtx)
			return err
		})
	}()

	waitForLockWait(t, ctx, client, secondDone)
	require.NoError(t, first.Commit())

	select {
	case err := <-secondDone:
		requireParentError(t, err, fmt.Sprintf("%s is a descendant of %s", a.ID, b.ID))
	case <-time.After(30 * time.Second):
		t.Fatal("the second transaction did not finish after the first committed")
	}
}

// waitForLockWait returns once a session of the test database waits for a
// row lock. It fails the test if the second transaction ends first, because
// then nothing stopped it from reading A's parent before the first commit.
func waitForLockWait(t *testing.T, ctx context.Context, client *ent.Client, secondDone <-chan error) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		rows, err := client.QueryContext(ctx,
			"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
		require.NoError(t, err)
		var waiting int
		require.True(t, rows.Next())
		require.NoError(t, rows.Scan(&waiting))
		require.NoError(t, rows.Close())
		if waiting > 0 {
			return
		}

		select {
		case err := <-secondDone:
			t.Fatalf("the second transaction finished before the first committed (error: %v), so its read of A was not blocked", err)
		case <-deadline:
			t.Fatal("no session waited for a lock within 30 seconds")
		case <-time.After(10 * time.Millisecond):
		}
	}
}
