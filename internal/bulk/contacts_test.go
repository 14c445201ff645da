package bulk_test

import (
	"fmt"
	"testing"

	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/internal/bulk"
)

func TestUpsertContactsMatchesEmailIgnoringCase(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	first, err := bulk.UpsertContacts(e.ctx, e.client, []bulk.ContactItem{
		{Email: bulk.Some("Sarah.Chen@Acme-Health.com"), FirstName: bulk.Some("Sarah"), LastName: bulk.Some("Chen"), AccountID: bulk.Some(acme.ID)},
	})
	if err != nil {
		t.Fatalf("first upsert: %v", err)
	}
	if first.Created != 1 {
		t.Fatalf("first upsert created %d contacts, want 1", first.Created)
	}

	second, err := bulk.UpsertContacts(e.ctx, e.client, []bulk.ContactItem{
		{Email: bulk.Some("sarah.chen@acme-health.com"), Title: bulk.Some("Practice Manager")},
	})
	if err != nil {
		t.Fatalf("second upsert: %v", err)
	}
	if second.Updated != 1 || second.Created != 0 {
		t.Fatalf("second upsert counted created=%d updated=%d, want 0 and 1", second.Created, second.Updated)
	}
	if second.Results[0].ID != first.Results[0].ID {
		t.Errorf("the lower-case email matched %s, want %s", second.Results[0].ID, first.Results[0].ID)
	}

	stored, err := e.client.Contact.Get(e.system, first.Results[0].ID)
	if err != nil {
		t.Fatalf("reading the contact: %v", err)
	}
	if stored.Title == nil || *stored.Title != "Practice Manager" {
		t.Errorf("title = %v, want Practice Manager", stored.Title)
	}
	if stored.FirstName != "Sarah" {
		t.Errorf("firstName = %q, want Sarah", stored.FirstName)
	}
	links, err := e.client.AccountContact.Query().Where(accountcontact.ContactID(stored.ID)).All(e.system)
	if err != nil {
		t.Fatalf("reading the links: %v", err)
	}
	if len(links) != 1 || links[0].AccountID != acme.ID {
		t.Errorf("links = %+v, want one link to %s", links, acme.ID)
	}
}

func TestUpsertContactsLinksAccounts(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	blue := createAccount(t, e.system, e.client, "BluePeak Legal")

	item := bulk.ContactItem{
		Email:     bulk.Some("dana@northwind.example.com"),
		FirstName: bulk.Some("Dana"),
		Accounts: bulk.Some([]bulk.AccountLink{
			{AccountID: bulk.Some(acme.ID), Role: bulk.Some("Budget owner"), IsPrimary: bulk.Some(true), Influence: bulk.Some(accountcontact.InfluenceDECISION_MAKER)},
			{AccountID: bulk.Some(blue.ID), Role: bulk.Some("Technical contact")},
		}),
	}
	first, err := bulk.UpsertContacts(e.ctx, e.client, []bulk.ContactItem{item})
	if err != nil {
		t.Fatalf("first upsert: %v", err)
	}

	again, err := bulk.UpsertContacts(e.ctx, e.client, []bulk.ContactItem{item})
	if err != nil {
		t.Fatalf("re-send: %v", err)
	}
	if again.Results[0].Changed {
		t.Error("re-sending the same links reported a change")
	}

	item.Accounts.Value[1].Influence = bulk.Some(accountcontact.InfluenceCHAMPION)
	changed, err := bulk.UpsertContacts(e.ctx, e.client, []bulk.ContactItem{item})
	if err != nil {
		t.Fatalf("changing a link: %v", err)
	}
	if !changed.Results[0].Changed {
		t.Error("changing a link's influence reported no change")
	}

	links, err := e.client.AccountContact.Query().Where(accountcontact.ContactID(first.Results[0].ID)).All(e.system)
	if err != nil {
		t.Fatalf("reading the links: %v", err)
	}
	if len(links) != 2 {
		t.Fatalf("the contact has %d links, want 2", len(links))
	}
	for _, link := range links {
		switch link.AccountID {
		case acme.ID:
			if !link.IsPrimary || link.Role == nil || *link.Role != "Budget owner" {
				t.Errorf("acme link = %+v, want the primary budget owner", link)
			}
		case blue.ID:
			if link.Influence == nil || *link.Influence != accountcontact.InfluenceCHAMPION {
				t.Errorf("bluepeak link influence = %v, want CHAMPION", link.Influence)
			}
		}
	}
}

func TestUpsertContactsValidation(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	other, err := adminOrg(e)
	if err != nil {
		t.Fatalf("creating the other org: %v", err)
	}
	foreign := createAccount(t, keyContext(e.system, other), e.client, "Foreign Dental")

	_, err = bulk.UpsertContacts(e.ctx, e.client, []bulk.ContactItem{
		{Email: bulk.Some("Sam@Example.com"), FirstName: bulk.Some("Sam"), Accounts: bulk.Some([]bulk.AccountLink{{AccountID: bulk.Some(acme.ID), IsPrimary: bulk.Some(true)}})},
		{Email: bulk.Some("not-an-email"), FirstName: bulk.Some("Bad")},
		{Email: bulk.Some("sam@example.com"), FirstName: bulk.Some("Sam again")},
		{Email: bulk.Some("lee@example.com"), FirstName: bulk.Some("Lee"), AccountID: bulk.Some(foreign.ID)},
		{Email: bulk.Some("kim@example.com"), FirstName: bulk.Some("Kim"), Accounts: bulk.Some([]bulk.AccountLink{
			{AccountID: bulk.Some(acme.ID), IsPrimary: bulk.Some(true), Influence: bulk.Some(accountcontact.Influence("FAN"))},
		})},
		{Email: bulk.Some("ann@example.com")},
	})
	details := validationDetails(t, err)

	cases := []struct {
		path []any
		text string
	}{
		{[]any{"contacts", 1, "email"}, "must be an email address"},
		{[]any{"contacts", 2, "email"}, "email sam@example.com also appears at index 0"},
		{[]any{"contacts", 3, "accountId"}, "was not found in this org"},
		{[]any{"contacts", 4, "accounts", 0, "influence"}, "must be one of CHAMPION"},
		{[]any{"contacts", 4, "accounts", 0, "isPrimary"}, "from index 0"},
		{[]any{"contacts", 5, "firstName"}, "is required to create a contact"},
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

// TestUpsertContactsStatementCountIsConstant compares the statements of a
// batch of 10 contacts linked to accounts with one of 200.
func TestUpsertContactsStatementCountIsConstant(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	blue := createAccount(t, e.system, e.client, "BluePeak Legal")

	run := func(prefix string, size int) int {
		t.Helper()
		items := make([]bulk.ContactItem, size)
		for i := range items {
			accountID := acme.ID
			if i%2 == 1 {
				accountID = blue.ID
			}
			items[i] = bulk.ContactItem{Email: bulk.Some(fmt.Sprintf("%s-%d@example.com", prefix, i)), FirstName: bulk.Some("Pat"), AccountID: bulk.Some(accountID)}
		}
		e.counter.reset()
		if _, err := bulk.UpsertContacts(e.ctx, e.client, items); err != nil {
			t.Fatalf("upserting %d contacts: %v", size, err)
		}
		return e.counter.count()
	}

	small, large := run("small", 10), run("large", 200)
	if large != small {
		t.Errorf("linking 200 contacts took %d statements, 10 took %d; want the same (per-row hook queries?)", large, small)
	}

	// The links still queue a churn-risk recalculation of both accounts.
	queued, err := e.client.ChurnRecalculation.Query().IDs(e.system)
	if err != nil {
		t.Fatalf("reading the queued recalculations: %v", err)
	}
	if len(queued) != 2 {
		t.Errorf("queued recalculations of %v, want %s and %s", queued, acme.ID, blue.ID)
	}
}
