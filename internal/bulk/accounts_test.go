package bulk_test

import (
	"encoding/json"
	"testing"

	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/money"
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
