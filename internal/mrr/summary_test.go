package mrr_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/mrr"
)

// createLines inserts count identical service lines in batches.
func (b testBundle) createLines(t *testing.T, contractID string, count int, category serviceline.Category, quantity int, unitPrice money.Cents, frequency serviceline.BillingFrequency) {
	t.Helper()
	for start := 0; start < count; start += 200 {
		builders := make([]*ent.ServiceLineCreate, 0, 200)
		for i := start; i < count && i < start+200; i++ {
			builders = append(builders, b.lineCreate(b.client, contractID, category, quantity, unitPrice, frequency))
		}
		require.NoError(t, b.client.ServiceLine.CreateBulk(builders...).Exec(b.ctx))
	}
}

func TestSummaryIsExactToTheCent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	globex := b.account(t, "Globex Legal")
	initech := b.account(t, "Initech Accounting")

	// 1,000 lines of 0.10 a month: 100.00 exactly, where adding 0.1 as a
	// float 1,000 times gives 99.9999999999986.
	acmeContract := b.contract(t, acme.ID, contract.StatusACTIVE)
	b.createLines(t, acmeContract.ID, 1000, serviceline.CategoryMANAGED_SERVICES, 1, 10, serviceline.BillingFrequencyMONTHLY)

	// 300 lines of 3 × 33.33 a quarter: 33.33 each, 9,999.00 in all.
	globexContract := b.contract(t, globex.ID, contract.StatusACTIVE)
	b.createLines(t, globexContract.ID, 300, serviceline.CategorySECURITY, 3, 3333, serviceline.BillingFrequencyQUARTERLY)

	// 1,200.00 a year is 100.00 a month. 0.01 a quarter rounds to 0, so
	// Initech does not count as a managed-services account. A one-time
	// hardware line adds nothing.
	initechContract := b.contract(t, initech.ID, contract.StatusACTIVE)
	b.line(t, initechContract.ID, serviceline.CategoryCLOUD, 1, 120000, serviceline.BillingFrequencyANNUAL)
	b.line(t, initechContract.ID, serviceline.CategoryMANAGED_SERVICES, 1, 1, serviceline.BillingFrequencyQUARTERLY)
	b.line(t, initechContract.ID, serviceline.CategoryHARDWARE_AS_A_SERVICE, 2, 150000, serviceline.BillingFrequencyONE_TIME)

	// Lines of contracts that are not ACTIVE are left out.
	for _, status := range []contract.Status{contract.StatusDRAFT, contract.StatusEXPIRED, contract.StatusCANCELLED} {
		other := b.contract(t, initech.ID, status)
		b.line(t, other.ID, serviceline.CategoryVOIP, 50, 2000, serviceline.BillingFrequencyMONTHLY)
	}

	summary, err := mrr.Summary(b.ctx, b.client, b.orgID)
	require.NoError(t, err)

	require.Equal(t, money.Cents(1019900), summary.TotalMRR) // 100.00 + 9,999.00 + 100.00
	require.Equal(t, money.Cents(12238800), summary.ARR)

	// Shares in hundredths of a percent: managed services and cloud are
	// 10,000 × 10,000 / 1,019,900 = 98.05 (remainder 49,800 of 1,019,900),
	// security 9,803.90 (remainder 920,300); floors add up to 9,999, so the
	// spare hundredth goes to security, the largest remainder.
	want := map[serviceline.Category]mrr.CategorySummary{
		serviceline.CategoryMANAGED_SERVICES: {MRR: 10000, ARR: 120000, Share: 0.98, Accounts: 1},
		serviceline.CategorySECURITY:         {MRR: 999900, ARR: 11998800, Share: 98.04, Accounts: 1},
		serviceline.CategoryCLOUD:            {MRR: 10000, ARR: 120000, Share: 0.98, Accounts: 1},
	}
	require.Len(t, summary.Categories, 10)
	var shareTotal float64
	for i, row := range summary.Categories {
		require.Equal(t, mrr.Categories[i], row.Category, "categories come in the documented order")
		expected := want[row.Category]
		expected.Category = row.Category
		require.Equal(t, expected, row, "category %s", row.Category)
		shareTotal += row.Share
	}
	require.InDelta(t, 100.00, shareTotal, 1e-9)
}

func TestSummaryOfEmptyOrgListsEveryCategory(t *testing.T) {
	t.Parallel()
	b := setup(t)

	summary, err := mrr.Summary(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	require.Zero(t, summary.TotalMRR)
	require.Zero(t, summary.ARR)
	require.Len(t, summary.Categories, 10)
	for i, row := range summary.Categories {
		require.Equal(t, mrr.CategorySummary{Category: mrr.Categories[i]}, row)
	}
}

func TestSummaryCountsDistinctAccounts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, name := range []string{"Acme Dental", "Globex Legal", "Initech Accounting"} {
		created := b.account(t, name)
		first := b.contract(t, created.ID, contract.StatusACTIVE)
		second := b.contract(t, created.ID, contract.StatusACTIVE)
		b.line(t, first.ID, serviceline.CategoryBACKUP_DR, 1, 5000, serviceline.BillingFrequencyMONTHLY)
		b.line(t, second.ID, serviceline.CategoryBACKUP_DR, 1, 5000, serviceline.BillingFrequencyMONTHLY)
	}

	summary, err := mrr.Summary(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	backup := summary.Categories[2]
	require.Equal(t, serviceline.CategoryBACKUP_DR, backup.Category)
	require.Equal(t, 3, backup.Accounts)
	require.Equal(t, money.Cents(30000), backup.MRR)
	require.Equal(t, 100.0, backup.Share)
}
