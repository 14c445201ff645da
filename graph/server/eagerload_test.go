package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/auth"
)

// seedBook creates accounts in the org, each with two linked contacts and two
// deals that both contacts are linked to, in a few bulk statements.
func (b *testBundle) seedBook(t *testing.T, orgID string, accounts int) {
	t.Helper()
	ctx := b.system(orgID)

	accountBuilders := make([]*ent.AccountCreate, accounts)
	for i := range accountBuilders {
		accountBuilders[i] = b.client.Account.Create().SetName(fmt.Sprintf("Account %02d", i))
	}
	createdAccounts := b.client.Account.CreateBulk(accountBuilders...).SaveX(ctx)

	contactBuilders := make([]*ent.ContactCreate, 2*accounts)
	dealBuilders := make([]*ent.DealCreate, 2*accounts)
	for i, account := range createdAccounts {
		for j := range 2 {
			contactBuilders[2*i+j] = b.client.Contact.Create().SetFirstName(fmt.Sprintf("Contact %02d-%d", i, j))
			dealBuilders[2*i+j] = b.client.Deal.Create().SetName(fmt.Sprintf("Deal %02d-%d", i, j)).SetAccountID(account.ID)
		}
	}
	contacts := b.client.Contact.CreateBulk(contactBuilders...).SaveX(ctx)
	deals := b.client.Deal.CreateBulk(dealBuilders...).SaveX(ctx)

	var accountLinks []*ent.AccountContactCreate
	var dealLinks []*ent.DealContactCreate
	for i, account := range createdAccounts {
		for j := range 2 {
			contact := contacts[2*i+j]
			accountLinks = append(accountLinks, b.client.AccountContact.Create().SetAccountID(account.ID).SetContactID(contact.ID))
			for k := range 2 {
				dealLinks = append(dealLinks, b.client.DealContact.Create().SetDealID(deals[2*i+k].ID).SetContactID(contact.ID))
			}
		}
	}
	b.client.AccountContact.CreateBulk(accountLinks...).ExecX(ctx)
	b.client.DealContact.CreateBulk(dealLinks...).ExecX(ctx)
}

// TestNestedQueryStatementsConstant proves that entgql's field collection
// eager-loads nested edges: the number of SQL statements of a query over
// accounts, their contacts and the contacts' deals is the same for 5 and for
// 40 accounts.
func TestNestedQueryStatementsConstant(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.seedBook(t, b.orgA, 40)
	key := b.key(t, b.orgA, auth.AdminRead)
	counting, counter := b.countingServer(t)

	statementsFor := func(accounts int) (int64, gqlResponse) {
		t.Helper()
		query := fmt.Sprintf(`{ accounts(first: %d) { edges { node { id contacts { id deals { id } } } } } }`, accounts)
		counter.reset()
		response := postGraphQL(t, counting.URL+"/graphql", key, query, nil)
		require.Empty(t, response.Errors, response.Body)
		return counter.count.Load(), response
	}

	few, fewResponse := statementsFor(5)
	fewStatements := counter.recorded()
	many, manyResponse := statementsFor(40)

	require.Len(t, fewResponse.connectionIDs(t, "accounts"), 5)
	require.Len(t, manyResponse.connectionIDs(t, "accounts"), 40)
	for i := range 40 {
		contacts, _ := manyResponse.value(t, "accounts", "edges", i, "node", "contacts").([]any)
		require.Len(t, contacts, 2, "account %d has two contacts", i)
		for j := range 2 {
			deals, _ := manyResponse.value(t, "accounts", "edges", i, "node", "contacts", j, "deals").([]any)
			require.Len(t, deals, 2, "contact %d of account %d has two deals", j, i)
		}
	}

	t.Logf("%d statements for 5 accounts, %d for 40", few, many)
	require.Positive(t, few)
	require.Equal(t, few, many, "statements for 5 accounts:\n%s\nstatements for 40:\n%s",
		strings.Join(fewStatements, "\n"), strings.Join(counter.recorded(), "\n"))
}
