package bulk_test

import (
	"testing"

	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/money"
)

func TestCreateDealsAppliesStageRules(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	result, err := bulk.CreateDeals(e.ctx, e.client, []bulk.DealItem{
		{Name: bulk.Some("Acme — Managed IT"), AccountID: bulk.Some(acme.ID), EstimatedMrr: bulk.Some(money.Cents(350000))},
		{Name: bulk.Some("Acme — Security add-on"), AccountID: bulk.Some(acme.ID), Stage: bulk.Some("CLOSED_WON")},
	})
	if err != nil {
		t.Fatalf("creating deals: %v", err)
	}
	if result.Created != 2 || result.Total != 2 {
		t.Fatalf("counted created=%d total=%d, want 2 and 2", result.Created, result.Total)
	}

	first, err := e.client.Deal.Get(e.system, result.Results[0].ID)
	if err != nil {
		t.Fatalf("reading the first deal: %v", err)
	}
	if first.Stage != "PROSPECT" || first.Probability == nil || *first.Probability != 10 {
		t.Errorf("first deal stage %s probability %v, want PROSPECT and 10", first.Stage, first.Probability)
	}
	won, err := e.client.Deal.Get(e.system, result.Results[1].ID)
	if err != nil {
		t.Fatalf("reading the won deal: %v", err)
	}
	if won.ClosedAt == nil {
		t.Error("the CLOSED_WON deal has no closedAt")
	}
	stored, err := e.client.Account.Get(e.system, acme.ID)
	if err != nil {
		t.Fatalf("reading the account: %v", err)
	}
	if stored.LifecycleStatus != account.LifecycleStatusONBOARDING {
		t.Errorf("account lifecycle = %s after a won deal, want ONBOARDING", stored.LifecycleStatus)
	}
}

func TestCreateDealsValidation(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	_, err := bulk.CreateDeals(e.ctx, e.client, []bulk.DealItem{
		{Name: bulk.Some("Good"), AccountID: bulk.Some(acme.ID)},
		{Name: bulk.Some("No stage"), AccountID: bulk.Some(acme.ID), Stage: bulk.Some("WON")},
		{AccountID: bulk.Some(acme.ID), Probability: bulk.Some(120)},
		{Name: bulk.Some("Bad money"), AccountID: bulk.Some("acc_missing"), EstimatedMrr: bulk.Some(money.Cents(-1))},
	})
	details := validationDetails(t, err)

	cases := []struct {
		path []any
		text string
	}{
		{[]any{"deals", 1, "stage"}, "is not a stage of this org's pipeline"},
		{[]any{"deals", 2, "name"}, "is required"},
		{[]any{"deals", 2, "probability"}, "between 0 and 100"},
		{[]any{"deals", 3, "accountId"}, "was not found in this org"},
		{[]any{"deals", 3, "estimatedMrr"}, "must be between 0"},
	}
	for _, want := range cases {
		if !hasDetail(details, want.text, want.path...) {
			t.Errorf("no detail %q at %v in %+v", want.text, want.path, details)
		}
	}
	if len(details) != len(cases) {
		t.Errorf("got %d details, want %d: %+v", len(details), len(cases), details)
	}
	count, err := e.client.Deal.Query().Count(e.system)
	if err != nil {
		t.Fatalf("counting deals: %v", err)
	}
	if count != 0 {
		t.Errorf("the org has %d deals after a rejected batch, want 0", count)
	}
}
