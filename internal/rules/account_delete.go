package rules

import (
	"context"
	"fmt"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/dealcontact"
	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/ent/note"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/ent/site"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// HardDeleteAccount removes an account for good with everything that hangs off
// it: sites, devices, deals and their contact links and tasks, contracts and
// their service lines, touchpoints, compliance items, health signals, risk
// snapshots, contact links and notes. Contacts themselves stay, because they
// may belong to other accounts; child accounts lose their parent. It must run
// inside the request's transaction, so a failure leaves nothing half-deleted.
func HardDeleteAccount(ctx context.Context, client *ent.Client, accountID string) error {
	// The deletes below run as the system, so the caller's right to delete
	// the account is checked here: reading it is not enough.
	if !auth.FromContext(ctx).Grants(auth.AccountsWrite) {
		return apierr.MissingScope(string(auth.AccountsWrite))
	}

	// Loading the account first applies the tenant filter: an account of
	// another org is not found, and nothing is deleted.
	doomed, err := client.Account.Get(ctx, accountID)
	if err != nil {
		return err
	}
	// The caller needs accounts:write only: the records that hang off the
	// account go with it whatever other scopes the key has, but never
	// outside its org.
	ctx = auth.SystemContext(ctx, doomed.OrgID)

	dealIDs, err := client.Deal.Query().Where(deal.AccountID(accountID)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("listing the account's deals: %w", err)
	}
	contractIDs, err := client.Contract.Query().Where(contract.AccountID(accountID)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("listing the account's contracts: %w", err)
	}

	steps := []struct {
		what string
		run  func() (int, error)
	}{
		{"notes", func() (int, error) {
			return client.Note.Delete().Where(note.Or(
				note.And(note.ObjectTypeEQ(note.ObjectTypeACCOUNT), note.ObjectID(accountID)),
				note.And(note.ObjectTypeEQ(note.ObjectTypeDEAL), note.ObjectIDIn(dealIDs...)),
				note.And(note.ObjectTypeEQ(note.ObjectTypeCONTRACT), note.ObjectIDIn(contractIDs...)),
			)).Exec(ctx)
		}},
		{"tasks", func() (int, error) {
			return client.Task.Delete().Where(task.Or(task.AccountID(accountID), task.DealIDIn(dealIDs...))).Exec(ctx)
		}},
		{"deal contacts", func() (int, error) {
			return client.DealContact.Delete().Where(dealcontact.DealIDIn(dealIDs...)).Exec(ctx)
		}},
		{"deals", func() (int, error) { return client.Deal.Delete().Where(deal.AccountID(accountID)).Exec(ctx) }},
		{"service lines", func() (int, error) {
			return client.ServiceLine.Delete().Where(serviceline.ContractIDIn(contractIDs...)).Exec(ctx)
		}},
		{"contracts", func() (int, error) {
			return client.Contract.Delete().Where(contract.AccountID(accountID)).Exec(ctx)
		}},
		{"devices", func() (int, error) { return client.Device.Delete().Where(device.AccountID(accountID)).Exec(ctx) }},
		{"sites", func() (int, error) { return client.Site.Delete().Where(site.AccountID(accountID)).Exec(ctx) }},
		{"touchpoints", func() (int, error) {
			return client.Touchpoint.Delete().Where(touchpoint.AccountID(accountID)).Exec(ctx)
		}},
		{"compliance items", func() (int, error) {
			return client.ComplianceItem.Delete().Where(complianceitem.AccountID(accountID)).Exec(ctx)
		}},
		{"health signals", func() (int, error) {
			return client.HealthSignal.Delete().Where(healthsignal.AccountID(accountID)).Exec(ctx)
		}},
		{"risk snapshots", func() (int, error) {
			return client.ChurnRiskSnapshot.Delete().Where(churnrisksnapshot.AccountID(accountID)).Exec(ctx)
		}},
		{"contact links", func() (int, error) {
			return client.AccountContact.Delete().Where(accountcontact.AccountID(accountID)).Exec(ctx)
		}},
		{"child account parents", func() (int, error) {
			return client.Account.Update().Where(account.ParentAccountID(accountID)).ClearParentAccountID().Save(ctx)
		}},
	}
	for _, step := range steps {
		if _, err := step.run(); err != nil {
			return fmt.Errorf("deleting the account's %s: %w", step.what, err)
		}
	}

	if err := client.Account.DeleteOneID(accountID).Exec(ctx); err != nil {
		return fmt.Errorf("deleting account %s: %w", accountID, err)
	}
	return nil
}
