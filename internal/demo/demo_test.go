package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/demo"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/testdb"
)

// seeded opens a fresh database, seeds an org from seed and returns a
// context acting as the system in that org.
func seeded(t *testing.T, seed uint64) (context.Context, *ent.Client) {
	t.Helper()
	db := testdb.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)

	org, err := admin.CreateOrg(ctx, db.Client, "BrightPath IT", "")
	if err != nil {
		t.Fatalf("creating the org: %v", err)
	}
	started := time.Now()
	if err := demo.SeedFrom(ctx, db.Client, org.ID, seed); err != nil {
		t.Fatalf("seeding: %v", err)
	}
	t.Logf("seeding took %s", time.Since(started).Round(time.Millisecond))
	return auth.SystemContext(ctx, org.ID), db.Client
}

// distinct returns the distinct values of key over rows.
func distinct[T any, K comparable](rows []T, key func(T) K) map[K]int {
	counts := make(map[K]int)
	for _, row := range rows {
		counts[key(row)]++
	}
	return counts
}

func TestSeedFillsEveryPartOfTheBook(t *testing.T) {
	ctx, client := seeded(t, demo.DefaultSeed)

	accounts := client.Account.Query().AllX(ctx)
	if len(accounts) != 40 {
		t.Errorf("seeded %d accounts, want 40", len(accounts))
	}
	lifecycles := distinct(accounts, func(a *ent.Account) account.LifecycleStatus { return a.LifecycleStatus })
	for _, status := range []account.LifecycleStatus{
		account.LifecycleStatusPROSPECT, account.LifecycleStatusASSESSMENT, account.LifecycleStatusONBOARDING,
		account.LifecycleStatusACTIVE, account.LifecycleStatusAT_RISK, account.LifecycleStatusCHURNED,
	} {
		if lifecycles[status] == 0 {
			t.Errorf("no account is %s", status)
		}
	}
	industries := distinct(accounts, func(a *ent.Account) string { return *a.Industry })
	for _, industry := range []string{"Healthcare", "Legal", "Financial Services", "Accounting", "Dental", "Manufacturing", "Nonprofit", "Construction"} {
		if industries[industry] == 0 {
			t.Errorf("no account is in %s", industry)
		}
	}
	withParent := 0
	for _, a := range accounts {
		if a.ParentAccountID != nil {
			withParent++
		}
	}
	if withParent == 0 {
		t.Error("no account has a parent account")
	}

	users := client.User.Query().AllX(ctx)
	roles := distinct(users, func(u *ent.User) string { return string(u.Role) })
	for _, role := range []string{"ACCOUNT_MANAGER", "SALES_REP", "TECHNICIAN"} {
		if roles[role] == 0 {
			t.Errorf("no user has role %s", role)
		}
	}

	contacts := client.Contact.Query().CountX(ctx)
	links := client.AccountContact.Query().AllX(ctx)
	if contacts < 80 {
		t.Errorf("seeded %d contacts, want at least 80", contacts)
	}
	primaries := make(map[string]int)
	perContact := make(map[string]int)
	for _, link := range links {
		if link.IsPrimary {
			primaries[link.AccountID]++
		}
		perContact[link.ContactID]++
	}
	for _, a := range accounts {
		if primaries[a.ID] != 1 {
			t.Errorf("account %s has %d primary contacts, want 1", a.Name, primaries[a.ID])
		}
	}
	if !slices.ContainsFunc(slices.Collect(mapValues(perContact)), func(n int) bool { return n > 1 }) {
		t.Error("no contact is linked to two accounts")
	}
	influences := distinct(links, func(l *ent.AccountContact) string {
		if l.Influence == nil {
			return ""
		}
		return string(*l.Influence)
	})
	for _, influence := range []string{"CHAMPION", "DECISION_MAKER", "GATEKEEPER", "DETRACTOR"} {
		if influences[influence] == 0 {
			t.Errorf("no relationship has influence %s", influence)
		}
	}

	devices := client.Device.Query().AllX(ctx)
	if len(devices) < 200 {
		t.Errorf("seeded %d devices, want at least 200", len(devices))
	}
	offline, endOfLife := 0, 0
	for _, d := range devices {
		if !d.IsOnline {
			offline++
		}
		if d.IsEndOfLife {
			endOfLife++
		}
		if d.RmmAgentID == nil || !strings.HasPrefix(*d.RmmAgentID, "ninja-") {
			t.Errorf("device %s has RMM agent ID %v, want ninja-…", d.Hostname, d.RmmAgentID)
			break
		}
	}
	if offline == 0 || offline == len(devices) {
		t.Errorf("%d of %d devices are offline, want some", offline, len(devices))
	}
	if endOfLife == 0 {
		t.Error("no device is end of life")
	}
	kinds := distinct(devices, func(d *ent.Device) string { return *d.DeviceType })
	for _, kind := range []string{"Workstation", "Server", "Firewall"} {
		if kinds[kind] == 0 {
			t.Errorf("no device is a %s", kind)
		}
	}

	deals := client.Deal.Query().AllX(ctx)
	stages := distinct(deals, func(d *ent.Deal) string { return d.Stage })
	for _, stage := range rules.DefaultPipeline {
		if stages[stage.Key] == 0 {
			t.Errorf("no deal is in stage %s", stage.Key)
		}
	}
	for _, d := range deals {
		if d.EstimatedMrr == nil || *d.EstimatedMrr <= 0 {
			t.Errorf("deal %s has no estimatedMrr", d.Name)
		}
		if (d.Stage == "CLOSED_WON" || d.Stage == "CLOSED_LOST") && d.ClosedAt == nil {
			t.Errorf("closed deal %s has no closedAt", d.Name)
		}
	}

	contracts := client.Contract.Query().WithServiceLines().AllX(ctx)
	statuses := distinct(contracts, func(c *ent.Contract) contract.Status { return c.Status })
	for _, status := range []contract.Status{contract.StatusACTIVE, contract.StatusDRAFT, contract.StatusEXPIRED} {
		if statuses[status] == 0 {
			t.Errorf("no contract is %s", status)
		}
	}
	if statuses[contract.StatusACTIVE] <= statuses[contract.StatusDRAFT]+statuses[contract.StatusEXPIRED] {
		t.Errorf("contract statuses %v, want mostly ACTIVE", statuses)
	}
	var lines []*ent.ServiceLine
	for _, c := range contracts {
		lines = append(lines, c.Edges.ServiceLines...)
	}
	if categories := distinct(lines, func(l *ent.ServiceLine) serviceline.Category { return l.Category }); len(categories) < 8 {
		t.Errorf("service lines use %d categories, want at least 8: %v", len(categories), categories)
	}
	frequencies := distinct(lines, func(l *ent.ServiceLine) serviceline.BillingFrequency { return l.BillingFrequency })
	if len(frequencies) != 5 {
		t.Errorf("service lines use billing frequencies %v, want all 5", frequencies)
	}
	checkCurrentMrr(t, accounts, contracts)

	tasks := client.Task.Query().AllX(ctx)
	for status, count := range distinct(tasks, func(tk *ent.Task) string { return string(tk.Status) }) {
		t.Logf("%d tasks %s", count, status)
	}
	if n := len(distinct(tasks, func(tk *ent.Task) string { return string(tk.Status) })); n != 4 {
		t.Errorf("tasks use %d statuses, want 4", n)
	}
	for _, tk := range tasks {
		if (tk.Status == "DONE") != (tk.CompletedAt != nil) {
			t.Errorf("task %q is %s with completedAt %v", tk.Title, tk.Status, tk.CompletedAt)
		}
	}

	notes := client.Note.Query().AllX(ctx)
	objectTypes := distinct(notes, func(n *ent.Note) string { return string(n.ObjectType) })
	if objectTypes["ACCOUNT"] == 0 || objectTypes["DEAL"] == 0 {
		t.Errorf("notes are on %v, want accounts and deals", objectTypes)
	}

	touchpoints := client.Touchpoint.Query().AllX(ctx)
	if n := len(distinct(touchpoints, func(tp *ent.Touchpoint) string { return string(tp.Type) })); n != 8 {
		t.Errorf("touchpoints use %d types, want 8", n)
	}
	for _, tp := range touchpoints {
		if tp.OccurredAt.After(time.Now()) {
			t.Errorf("touchpoint %s occurs in the future: %s", tp.ID, tp.OccurredAt)
			break
		}
	}

	leads := client.Lead.Query().AllX(ctx)
	if n := len(distinct(leads, func(l *ent.Lead) string { return string(l.Source) })); n != 6 {
		t.Errorf("leads use %d sources, want 6", n)
	}
	if n := len(distinct(leads, func(l *ent.Lead) string { return string(l.Status) })); n != 5 {
		t.Errorf("leads use %d statuses, want 5", n)
	}

	items := client.ComplianceItem.Query().AllX(ctx)
	if n := len(distinct(items, func(c *ent.ComplianceItem) string { return string(c.Framework) })); n < 5 {
		t.Errorf("compliance items use %d frameworks, want at least 5", n)
	}
	if n := len(distinct(items, func(c *ent.ComplianceItem) string { return string(c.Status) })); n != 4 {
		t.Errorf("compliance items use %d statuses, want 4", n)
	}

	if n := client.HealthSignal.Query().CountX(ctx); n == 0 {
		t.Error("no health signals were seeded")
	}
	if n := client.ChurnRiskSnapshot.Query().CountX(ctx); n == 0 {
		t.Error("no churn-risk history was seeded")
	}
}

// checkCurrentMrr compares each account's currentMrr with the MRR of the
// service lines of its ACTIVE contracts.
func checkCurrentMrr(t *testing.T, accounts []*ent.Account, contracts []*ent.Contract) {
	t.Helper()
	months := map[serviceline.BillingFrequency]int64{"MONTHLY": 1, "QUARTERLY": 3, "SEMI_ANNUAL": 6, "ANNUAL": 12}
	want := make(map[string]money.Cents)
	for _, c := range contracts {
		if c.Status != contract.StatusACTIVE {
			continue
		}
		for _, line := range c.Edges.ServiceLines {
			if period, ok := months[line.BillingFrequency]; ok {
				want[c.AccountID] += money.Cents(int64(line.Quantity) * int64(line.UnitPrice) / period)
			}
		}
	}
	for _, a := range accounts {
		if a.CurrentMrr != want[a.ID] {
			t.Errorf("account %s has currentMrr %s, its active service lines make %s", a.Name, a.CurrentMrr, want[a.ID])
		}
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	fingerprint := func(seed uint64) string {
		ctx, client := seeded(t, seed)
		accounts := client.Account.Query().Order(ent.Asc(account.FieldExternalID)).AllX(ctx)
		var b strings.Builder
		for _, a := range accounts {
			devices := client.Account.QueryDevices(a).CountX(ctx)
			b.WriteString(a.Name + ":" + string(a.LifecycleStatus) + ":" + a.CurrentMrr.String() + ":" + strings.Repeat("d", devices) + "\n")
		}
		return b.String()
	}
	first, second := fingerprint(7), fingerprint(7)
	if first != second {
		t.Error("two runs with seed 7 produced different books")
	}
	if other := fingerprint(8); other == first {
		t.Error("seeds 7 and 8 produced the same book")
	}
}

func mapValues[K comparable, V any](m map[K]V) func(func(V) bool) {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}
