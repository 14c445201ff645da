package mrr_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/mrr"
	"github.com/breadbox/breadbox/internal/testdb"
)

// testBundle is a fresh database with one org, and a context acting as the
// system inside it.
type testBundle struct {
	client *ent.Client
	ctx    context.Context
	orgID  string
}

func setup(t *testing.T) testBundle {
	t.Helper()
	db := testdb.Open(t)
	org, err := admin.CreateOrg(context.Background(), db.Client, "Northwind IT", "")
	require.NoError(t, err)
	return testBundle{client: db.Client, ctx: auth.SystemContext(context.Background(), org.ID), orgID: org.ID}
}

func (b testBundle) account(t *testing.T, name string) *ent.Account {
	t.Helper()
	created, err := b.client.Account.Create().SetName(name).Save(b.ctx)
	require.NoError(t, err)
	return created
}

func (b testBundle) contract(t *testing.T, accountID string, status contract.Status) *ent.Contract {
	t.Helper()
	created, err := b.client.Contract.Create().
		SetAccountID(accountID).
		SetName("Managed services agreement").
		SetStatus(status).
		Save(b.ctx)
	require.NoError(t, err)
	return created
}

func (b testBundle) line(t *testing.T, contractID string, category serviceline.Category, quantity int, unitPrice money.Cents, frequency serviceline.BillingFrequency) *ent.ServiceLine {
	t.Helper()
	created, err := b.lineCreate(b.client, contractID, category, quantity, unitPrice, frequency).Save(b.ctx)
	require.NoError(t, err)
	return created
}

func (b testBundle) lineCreate(client *ent.Client, contractID string, category serviceline.Category, quantity int, unitPrice money.Cents, frequency serviceline.BillingFrequency) *ent.ServiceLineCreate {
	return client.ServiceLine.Create().
		SetContractID(contractID).
		SetServiceName(string(category) + " service").
		SetCategory(category).
		SetQuantity(quantity).
		SetUnitPrice(unitPrice).
		SetBillingFrequency(frequency)
}

// storedMRR reads the account's currentMrr as stored.
func (b testBundle) storedMRR(t *testing.T, accountID string) money.Cents {
	t.Helper()
	stored, err := b.client.Account.Get(b.ctx, accountID)
	require.NoError(t, err)
	return stored.CurrentMrr
}

func TestAccountMRRCountsActiveContractsOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	active := b.contract(t, acme.ID, contract.StatusACTIVE)
	b.line(t, active.ID, serviceline.CategoryMANAGED_SERVICES, 25, 4500, serviceline.BillingFrequencyMONTHLY) // 1125.00
	b.line(t, active.ID, serviceline.CategorySECURITY, 3, 3333, serviceline.BillingFrequencyQUARTERLY)        // 33.33
	b.line(t, active.ID, serviceline.CategoryHARDWARE_AS_A_SERVICE, 1, 250000, serviceline.BillingFrequencyONE_TIME)
	for _, status := range []contract.Status{contract.StatusDRAFT, contract.StatusEXPIRED, contract.StatusCANCELLED} {
		other := b.contract(t, acme.ID, status)
		b.line(t, other.ID, serviceline.CategoryCLOUD, 1, 99900, serviceline.BillingFrequencyMONTHLY)
	}

	got, err := mrr.AccountMRR(b.ctx, b.client, acme.ID)
	require.NoError(t, err)
	require.Equal(t, money.Cents(115833), got)
}

func TestAccountMRROfAnotherOrgIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	other, err := admin.CreateOrg(context.Background(), b.client, "Other MSP", "")
	require.NoError(t, err)

	_, err = mrr.AccountMRR(auth.SystemContext(context.Background(), other.ID), b.client, acme.ID)
	require.True(t, ent.IsNotFound(err), "got %v", err)
	_, err = mrr.RefreshAccount(auth.SystemContext(context.Background(), other.ID), b.client, acme.ID)
	require.True(t, ent.IsNotFound(err), "got %v", err)
}

func TestRefreshAccountStoresTheSum(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	active := b.contract(t, acme.ID, contract.StatusACTIVE)
	b.line(t, active.ID, serviceline.CategoryBACKUP_DR, 1, 120000, serviceline.BillingFrequencyANNUAL) // 100.00
	// A stale value, whether or not the schema runs mrr.Hook.
	require.NoError(t, b.client.Account.UpdateOneID(acme.ID).SetCurrentMrr(1).Exec(b.ctx))

	got, err := mrr.RefreshAccount(b.ctx, b.client, acme.ID)
	require.NoError(t, err)
	require.Equal(t, money.Cents(10000), got)
	require.Equal(t, money.Cents(10000), b.storedMRR(t, acme.ID))
}

func TestRefreshAccountKeepsUpdatedAtWhenUnchanged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	_, err := mrr.RefreshAccount(b.ctx, b.client, acme.ID)
	require.NoError(t, err)
	stored, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.True(t, acme.UpdatedAt.Equal(stored.UpdatedAt), "updatedAt moved from %s to %s", acme.UpdatedAt, stored.UpdatedAt)
}

// hookedBundle is a testBundle whose client runs mrr.Hook on contracts and
// service lines, as the schema's Hooks() will once they list it.
func hookedBundle(t *testing.T) testBundle {
	t.Helper()
	b := setup(t)
	b.client.Contract.Use(mrr.Hook())
	b.client.ServiceLine.Use(mrr.Hook())
	return b
}

func TestHookRefreshesOnEveryWrite(t *testing.T) {
	t.Parallel()
	b := hookedBundle(t)
	acme := b.account(t, "Acme Dental")
	active := b.contract(t, acme.ID, contract.StatusACTIVE)
	require.Equal(t, money.Cents(0), b.storedMRR(t, acme.ID))

	seats := b.line(t, active.ID, serviceline.CategoryMANAGED_SERVICES, 2, 5000, serviceline.BillingFrequencyMONTHLY)
	require.Equal(t, money.Cents(10000), b.storedMRR(t, acme.ID), "line create")

	b.line(t, active.ID, serviceline.CategorySECURITY, 1, 10000, serviceline.BillingFrequencyQUARTERLY)
	require.Equal(t, money.Cents(13333), b.storedMRR(t, acme.ID), "second line create")

	require.NoError(t, b.client.ServiceLine.UpdateOne(seats).SetQuantity(3).Exec(b.ctx))
	require.Equal(t, money.Cents(18333), b.storedMRR(t, acme.ID), "line update")

	require.NoError(t, b.client.Contract.UpdateOneID(active.ID).SetStatus(contract.StatusEXPIRED).Exec(b.ctx))
	require.Equal(t, money.Cents(0), b.storedMRR(t, acme.ID), "contract expired")

	_, err := b.client.Contract.Update().Where(contract.AccountID(acme.ID)).SetStatus(contract.StatusACTIVE).Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, money.Cents(18333), b.storedMRR(t, acme.ID), "bulk contract update")

	_, err = b.client.ServiceLine.Update().Where(serviceline.ID(seats.ID)).SetBillingFrequency(serviceline.BillingFrequencyANNUAL).Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, money.Cents(4583), b.storedMRR(t, acme.ID), "bulk line update") // 150.00 / 12 = 12.50, plus 33.33

	require.NoError(t, b.client.ServiceLine.DeleteOneID(seats.ID).Exec(b.ctx))
	require.Equal(t, money.Cents(3333), b.storedMRR(t, acme.ID), "line delete")

	_, err = b.client.ServiceLine.Delete().Where(serviceline.ContractID(active.ID)).Exec(b.ctx)
	require.NoError(t, err)
	require.Equal(t, money.Cents(0), b.storedMRR(t, acme.ID), "bulk line delete")
}

func TestHookRefreshesBothAccountsOnMove(t *testing.T) {
	t.Parallel()
	b := hookedBundle(t)
	acme := b.account(t, "Acme Dental")
	globex := b.account(t, "Globex Legal")
	acmeContract := b.contract(t, acme.ID, contract.StatusACTIVE)
	globexContract := b.contract(t, globex.ID, contract.StatusACTIVE)
	voip := b.line(t, acmeContract.ID, serviceline.CategoryVOIP, 10, 2500, serviceline.BillingFrequencyMONTHLY)
	require.Equal(t, money.Cents(25000), b.storedMRR(t, acme.ID))

	require.NoError(t, b.client.ServiceLine.UpdateOne(voip).SetContractID(globexContract.ID).Exec(b.ctx))
	require.Equal(t, money.Cents(0), b.storedMRR(t, acme.ID), "line moved away")
	require.Equal(t, money.Cents(25000), b.storedMRR(t, globex.ID), "line moved in")

	require.NoError(t, b.client.Contract.UpdateOne(globexContract).SetAccountID(acme.ID).Exec(b.ctx))
	require.Equal(t, money.Cents(25000), b.storedMRR(t, acme.ID), "contract moved in")
	require.Equal(t, money.Cents(0), b.storedMRR(t, globex.ID), "contract moved away")
}

func TestHookHandlesBulkCreate(t *testing.T) {
	t.Parallel()
	b := hookedBundle(t)
	acme := b.account(t, "Acme Dental")
	active := b.contract(t, acme.ID, contract.StatusACTIVE)

	builders := make([]*ent.ServiceLineCreate, 12)
	for i := range builders {
		builders[i] = b.lineCreate(b.client, active.ID, serviceline.CategoryLICENSING, 1, 1, serviceline.BillingFrequencyANNUAL)
	}
	require.NoError(t, b.client.ServiceLine.CreateBulk(builders...).Exec(b.ctx))
	// Each line is 0.01 / 12, which rounds to 0; the lines round one by one.
	require.Equal(t, money.Cents(0), b.storedMRR(t, acme.ID))

	require.NoError(t, b.lineCreate(b.client, active.ID, serviceline.CategoryLICENSING, 12, 1, serviceline.BillingFrequencyANNUAL).Exec(b.ctx))
	require.Equal(t, money.Cents(1), b.storedMRR(t, acme.ID))
}

func TestHookJoinsTheWriteTransaction(t *testing.T) {
	t.Parallel()
	b := hookedBundle(t)
	acme := b.account(t, "Acme Dental")
	active := b.contract(t, acme.ID, contract.StatusACTIVE)
	errAbort := errors.New("abort")

	err := database.WithTx(b.ctx, b.client, func(ctx context.Context) error {
		tx := database.Client(ctx, b.client)
		if err := b.lineCreate(tx, active.ID, serviceline.CategoryCLOUD, 4, 2500, serviceline.BillingFrequencyMONTHLY).Exec(ctx); err != nil {
			return err
		}
		inside, err := tx.Account.Get(ctx, acme.ID)
		if err != nil {
			return err
		}
		require.Equal(t, money.Cents(10000), inside.CurrentMrr, "refreshed inside the transaction")
		return errAbort
	})
	require.ErrorIs(t, err, errAbort)
	require.Equal(t, money.Cents(0), b.storedMRR(t, acme.ID), "rolled back with the write")

	count, err := b.client.ServiceLine.Query().Count(b.ctx)
	require.NoError(t, err)
	require.Zero(t, count)
}

func TestSummaryOfAnotherOrgIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other, err := admin.CreateOrg(context.Background(), b.client, "Other MSP", "")
	require.NoError(t, err)

	key := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: other.ID, Scopes: auth.ScopeSet{}})
	_, err = mrr.Summary(key, b.client, b.orgID)
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.NotFound, apiErr.Code)
}

func TestHookConcurrentWritesKeepTheSum(t *testing.T) {
	t.Parallel()
	b := hookedBundle(t)
	acme := b.account(t, "Acme Dental")
	active := b.contract(t, acme.ID, contract.StatusACTIVE)

	// Each transaction adds a line and refreshes the sum. Without the row
	// lock, two of them could each miss the other's line and store a sum
	// that lacks one.
	const writers = 8
	errs := make(chan error, writers)
	for range writers {
		go func() {
			errs <- database.WithTx(b.ctx, b.client, func(ctx context.Context) error {
				tx := database.Client(ctx, b.client)
				return b.lineCreate(tx, active.ID, serviceline.CategoryCLOUD, 1, 1000, serviceline.BillingFrequencyMONTHLY).Exec(ctx)
			})
		}()
	}
	for range writers {
		require.NoError(t, <-errs)
	}
	require.Equal(t, money.Cents(writers*1000), b.storedMRR(t, acme.ID))
}
