package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/ent/note"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/money"
)

// records contains the ID of one record of every entity type in one org.
type records struct {
	account        string
	site           string
	contact        string
	accountContact string
	deal           string
	dealContact    string
	stage          string
	contract       string
	serviceLine    string
	device         string
	task           string
	note           string
	touchpoint     string
	lead           string
	compliance     string
	signal         string
	snapshot       string
	user           string
}

// seed creates one record of every entity type in the org, each linked to the
// org's account, contact, deal or contract, through ent as the system. The
// org also gets a pipeline stage whose key is stageKey.
func (b *testBundle) seed(t *testing.T, orgID, label, stageKey string) records {
	t.Helper()
	ctx := b.system(orgID)
	client := b.client
	now := time.Now().UTC().Truncate(time.Millisecond)
	var r records

	r.user = client.User.Create().SetName("User " + label).SetEmail("user-" + label + "@example.com").SaveX(ctx).ID
	r.account = client.Account.Create().SetName("Account " + label).SetAccountManagerID(r.user).SaveX(ctx).ID
	r.site = client.Site.Create().SetName("Site " + label).SetAccountID(r.account).SaveX(ctx).ID
	r.contact = client.Contact.Create().SetFirstName("Contact " + label).SetEmail("contact-" + label + "@example.com").SaveX(ctx).ID
	r.accountContact = client.AccountContact.Create().SetAccountID(r.account).SetContactID(r.contact).SetRole("Budget owner").SaveX(ctx).ID
	r.deal = client.Deal.Create().SetName("Deal " + label).SetAccountID(r.account).SetOwnerID(r.user).SaveX(ctx).ID
	r.dealContact = client.DealContact.Create().SetDealID(r.deal).SetContactID(r.contact).SaveX(ctx).ID
	r.stage = client.PipelineStage.Create().SetKey(stageKey).SetName("Stage " + label).SetPosition(20).SetProbability(40).SaveX(ctx).ID
	r.contract = client.Contract.Create().SetName("Contract " + label).SetAccountID(r.account).SaveX(ctx).ID
	r.serviceLine = client.ServiceLine.Create().SetServiceName("Service " + label).SetContractID(r.contract).SetUnitPrice(money.Cents(12_500)).SaveX(ctx).ID
	r.device = client.Device.Create().SetHostname("host-" + label).SetAccountID(r.account).SetSiteID(r.site).SaveX(ctx).ID
	r.task = client.Task.Create().SetTitle("Task " + label).SetAccountID(r.account).SetDealID(r.deal).SaveX(ctx).ID
	r.note = client.Note.Create().SetBody("Note " + label).SetObjectType(note.ObjectTypeACCOUNT).SetObjectID(r.account).SaveX(ctx).ID
	r.touchpoint = client.Touchpoint.Create().SetType(touchpoint.TypeCALL).SetAccountID(r.account).SetContactID(r.contact).SaveX(ctx).ID
	r.lead = client.Lead.Create().SetCompanyName("Lead " + label).SaveX(ctx).ID
	r.compliance = client.ComplianceItem.Create().SetTitle("Control " + label).SetFramework(complianceitem.FrameworkHIPAA).SetAccountID(r.account).SaveX(ctx).ID
	r.signal = client.HealthSignal.Create().SetKey(healthsignal.KeyOPEN_TICKETS).SetSubScore(80).SetObservedAt(now).SetAccountID(r.account).SaveX(ctx).ID
	r.snapshot = client.ChurnRiskSnapshot.Create().SetScore(40).SetLevel(churnrisksnapshot.LevelMEDIUM).SetCalculatedAt(now).SetDay(now.Format(time.DateOnly)).SetAccountID(r.account).SaveX(ctx).ID
	return r
}

// count runs count under the org's system context and fails the test on error.
func count(t *testing.T, ctx context.Context, count func(context.Context) (int, error)) int {
	t.Helper()
	n, err := count(ctx)
	require.NoError(t, err)
	return n
}
