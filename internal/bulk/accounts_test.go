package bulk_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/rules"
)

func TestUpsertAccountsCreatesThenUpdates(t *testing.T) {
	e := newEnv(t)
	items := []bulk.AccountItem{
		{ExternalID: bulk.Some("hub-12345"), Name: bulk.Some("Acme Healthcare"), Industry: bulk.Some("Healthcare"), LifecycleStatus: bulk.Some(account.LifecycleStatusACTIVE)},
		{ExternalID: bulk.Some("hub-12346"), Name: bulk.Some("BluePeak Legal"), Industry: bulk.Some("Legal"), LifecycleStatus: bulk.Some(account.LifecycleStatusAT_RISK)},
	}
	first, err := bulk.UpsertAccounts(e.ctx, e.client, items)
	if err != nil {
		t.Fatalf("first upsert: %v", err)
	}
	if first.Created != 2 || first.Updated != 0 {
		t.Fatalf("first upsert counted created=%d updated=%d, want 2 and 0", first.Created, first.Updated)
	}

	// Computed columns must survive an upsert that rewrites the row.
	if _, err := e.client.Account.UpdateOneID(first.Results[0].ID).SetCurrentMrr(money.Cents(350000)).Save(e.system); err != nil {
		t.Fatalf("setting currentMrr: %v", err)
	}

	items[0].Tags = bulk.Some([]string{"vip"})
	second, err := bulk.UpsertAccounts(e.ctx, e.client, items)
	if err != nil {
		t.Fatalf("second upsert: %v", err)
	}
	if second.Created != 0 || second.Updated != 2 {
		t.Fatalf("second upsert counted created=%d updated=%d, want 0 and 2", second.Created, second.Updated)
	}
	if !second.Results[0].Changed || second.Results[1].Changed {
		t.Errorf("Changed = %v, %v; want true for the retagged account and false for the other", second.Results[0].Changed, second.Results[1].Changed)
	}
	for i := range items {
		if second.Results[i].ID != first.Results[i].ID {
			t.Errorf("results[%d].id changed from %s to %s", i, first.Results[i].ID, second.Results[i].ID)
		}
	}

	stored, err := e.client.Account.Get(e.system, first.Results[0].ID)
	if err != nil {
		t.Fatalf("reading the account: %v", err)
	}
	if len(stored.Tags) != 1 || stored.Tags[0] != "vip" {
		t.Errorf("tags = %v, want [vip]", stored.Tags)
	}
	if stored.CurrentMrr != 350000 {
		t.Errorf("currentMrr = %s after the upsert, want 3500", stored.CurrentMrr)
	}
	if stored.Industry == nil || *stored.Industry != "Healthcare" {
		t.Errorf("industry = %v, want Healthcare", stored.Industry)
	}
}

func TestUpsertAccountsResultJSON(t *testing.T) {
	e := newEnv(t)
	result, err := bulk.UpsertAccounts(e.ctx, e.client, []bulk.AccountItem{
		{ExternalID: bulk.Some("hub-1"), Name: bulk.Some("Acme Healthcare")},
	})
	if err != nil {
		t.Fatalf("upsert: %v", err)
	}
	encoded, err := json.Marshal(result)
	if err != nil {
		t.Fatalf("encoding the result: %v", err)
	}
	want := `{"created":1,"updated":0,"total":1,"results":[{"externalId":"hub-1","id":"` + result.Results[0].ID + `","action":"created"}]}`
	if string(encoded) != want {
		t.Errorf("result JSON = %s, want %s", encoded, want)
	}
}

func TestUpsertAccountsValidation(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	_, err := bulk.UpsertAccounts(e.ctx, e.client, []bulk.AccountItem{
		{ExternalID: bulk.Some("hub-1"), Name: bulk.Some("One"), LifecycleStatus: bulk.Some(account.LifecycleStatus("LOST"))},
		{ExternalID: bulk.Some("hub-2")},
		{ExternalID: bulk.Some("hub-3"), Name: bulk.Some("Three"), AccountManagerID: bulk.Some("user_missing"), ParentAccountID: bulk.Some(acme.ID)},
		{ExternalID: bulk.Some("hub-1"), Name: bulk.Some("Four"), FiscalYearEndMonth: bulk.Some(13), ClientSince: bulk.Some("2024-02-30")},
	})
	details := validationDetails(t, err)

	cases := []struct {
		path []any
		text string
	}{
		{[]any{"accounts", 0, "lifecycleStatus"}, "must be one of PROSPECT"},
		{[]any{"accounts", 1, "name"}, "is required to create an account"},
		{[]any{"accounts", 2, "accountManagerId"}, "was not found in this org"},
		{[]any{"accounts", 3, "externalId"}, "externalId hub-1 also appears at index 0"},
		{[]any{"accounts", 3, "fiscalYearEndMonth"}, "between 1 and 12"},
		{[]any{"accounts", 3, "clientSince"}, "YYYY-MM-DD"},
	}
	for _, want := range cases {
		if !hasDetail(details, want.text, want.path...) {
			t.Errorf("no detail %q at %v in %+v", want.text, want.path, details)
		}
	}
	if len(details) != len(cases) {
		t.Errorf("got %d details, want %d: %+v", len(details), len(cases), details)
	}
}

// upsertTopAccounts creates one account per external ID, without parents,
// and returns their IDs in order.
func upsertTopAccounts(t *testing.T, e *env, keys ...string) []string {
	t.Helper()
	items := make([]bulk.AccountItem, len(keys))
	for i, key := range keys {
		items[i] = bulk.AccountItem{ExternalID: bulk.Some(key), Name: bulk.Some("Account " + key)}
	}
	result, err := bulk.UpsertAccounts(e.ctx, e.client, items)
	if err != nil {
		t.Fatalf("creating accounts %v: %v", keys, err)
	}
	ids := make([]string, len(keys))
	for i := range result.Results {
		ids[i] = result.Results[i].ID
	}
	return ids
}

// withParent returns the item that sets the parent of the account with key.
func withParent(key, parentID string) bulk.AccountItem {
	return bulk.AccountItem{ExternalID: bulk.Some(key), ParentAccountID: bulk.Some(parentID)}
}

// storedParent returns the stored parent of an account, "" for none.
func storedParent(t *testing.T, e *env, accountID string) string {
	t.Helper()
	stored, err := e.client.Account.Get(e.system, accountID)
	if err != nil {
		t.Fatalf("reading account %s: %v", accountID, err)
	}
	if stored.ParentAccountID == nil {
		return ""
	}
	return *stored.ParentAccountID
}

func TestUpsertAccountsRejectsParentCycles(t *testing.T) {
	e := newEnv(t)
	ids := upsertTopAccounts(t, e, "hub-a", "hub-b", "hub-c", "hub-x", "hub-y", "hub-z")
	a, b, c, x, y, z := ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]
	if _, err := bulk.UpsertAccounts(e.ctx, e.client, []bulk.AccountItem{withParent("hub-b", a)}); err != nil {
		t.Fatalf("setting b's parent: %v", err)
	}

	cases := []struct {
		name  string
		items []bulk.AccountItem
		// want maps the index of each item whose parentAccountId must be
		// rejected to a part of the message.
		want map[int]string
	}{
		{"own ID", []bulk.AccountItem{withParent("hub-a", a)}, map[int]string{0: "cannot be its own parent"}},
		{"stored child", []bulk.AccountItem{withParent("hub-a", b)}, map[int]string{0: b + " is a descendant of " + a}},
		{"two in the batch", []bulk.AccountItem{withParent("hub-a", c), withParent("hub-c", a)}, map[int]string{
			0: "(parent chain " + c + " → " + a + ")",
			1: "(parent chain " + a + " → " + c + ")",
		}},
		{"three in the batch", []bulk.AccountItem{withParent("hub-x", y), withParent("hub-y", z), withParent("hub-z", x)}, map[int]string{
			0: "would make a cycle", 1: "would make a cycle", 2: "would make a cycle",
		}},
		{"batch and stored", []bulk.AccountItem{withParent("hub-c", b), withParent("hub-a", c)}, map[int]string{
			0: "(parent chain " + b + " → " + a + " → " + c + ")",
			1: "(parent chain " + c + " → " + b + " → " + a + ")",
		}},
		// The next items name an account whose own item fails, and get no
		// second detail for that failure.
		{"missing parent above", []bulk.AccountItem{withParent("hub-a", "acc_01JD0000000000000000000000"), withParent("hub-c", a)}, map[int]string{
			0: "was not found in this org",
		}},
		{"own ID above", []bulk.AccountItem{withParent("hub-a", a), withParent("hub-c", a)}, map[int]string{
			0: "cannot be its own parent",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bulk.UpsertAccounts(e.ctx, e.client, tc.items)
			details := validationDetails(t, err)
			for index, text := range tc.want {
				if !hasDetail(details, text, "accounts", index, "parentAccountId") {
					t.Errorf("no detail %q at accounts.%d.parentAccountId in %+v", text, index, details)
				}
			}
			if len(details) != len(tc.want) {
				t.Errorf("got %d details, want %d: %+v", len(details), len(tc.want), details)
			}
		})
	}

	for _, accountID := range []string{a, c, x, y, z} {
		if parent := storedParent(t, e, accountID); parent != "" {
			t.Errorf("account %s has parent %s after rejected upserts, want none", accountID, parent)
		}
	}
}

// TestUpsertAccountsReordersHierarchy swaps a parent and its child in one
// batch. Checked row by row against the stored hierarchy, the first item
// would make a cycle; the batch as a whole does not.
func TestUpsertAccountsReordersHierarchy(t *testing.T) {
	e := newEnv(t)
	ids := upsertTopAccounts(t, e, "hub-a", "hub-b")
	a, b := ids[0], ids[1]
	if _, err := bulk.UpsertAccounts(e.ctx, e.client, []bulk.AccountItem{withParent("hub-b", a)}); err != nil {
		t.Fatalf("setting b's parent: %v", err)
	}

	_, err := bulk.UpsertAccounts(e.ctx, e.client, []bulk.AccountItem{
		withParent("hub-a", b),
		{ExternalID: bulk.Some("hub-b"), ParentAccountID: bulk.Null[string]()},
	})
	if err != nil {
		t.Fatalf("swapping parent and child: %v", err)
	}
	if parent := storedParent(t, e, a); parent != b {
		t.Errorf("a's parent = %q, want %s", parent, b)
	}
	if parent := storedParent(t, e, b); parent != "" {
		t.Errorf("b's parent = %q, want none", parent)
	}
}

func TestUpsertAccountsLimitsHierarchyDepth(t *testing.T) {
	e := newEnv(t)
	// chain[0] is the top; chain[i] has i ancestors. The fixture skips the
	// per-row check, which would walk the growing chain for every account.
	unchecked := rules.WithCheckedAccountParents(e.system, e.orgID)
	chain := make([]string, rules.MaxAccountAncestors+1)
	for i := range chain {
		create := e.client.Account.Create().SetName(fmt.Sprintf("Level %03d", i))
		if i > 0 {
			create.SetParentAccountID(chain[i-1])
		}
		created, err := create.Save(unchecked)
		if err != nil {
			t.Fatalf("creating level %d: %v", i, err)
		}
		chain[i] = created.ID
	}

	_, err := bulk.UpsertAccounts(e.ctx, e.client, []bulk.AccountItem{
		{ExternalID: bulk.Some("hub-deepest"), Name: bulk.Some("Deepest allowed"), ParentAccountID: bulk.Some(chain[rules.MaxAccountAncestors-1])},
		{ExternalID: bulk.Some("hub-too-deep"), Name: bulk.Some("Too deep"), ParentAccountID: bulk.Some(chain[rules.MaxAccountAncestors])},
	})
	details := validationDetails(t, err)
	text := fmt.Sprintf("more than %d ancestors", rules.MaxAccountAncestors)
	if !hasDetail(details, text, "accounts", 1, "parentAccountId") {
		t.Errorf("no detail %q at accounts.1.parentAccountId in %+v", text, details)
	}
	if len(details) != 1 {
		t.Errorf("got %d details, want only the one on the account that is too deep: %+v", len(details), details)
	}
}
