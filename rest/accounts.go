package rest

import (
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/ent/site"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/rules"
)

var accountSorts = []pagination.Field{
	{Name: "name", Column: account.FieldName},
	{Name: "industry", Column: account.FieldIndustry, Nullable: true},
	{Name: "employeeCount", Column: account.FieldEmployeeCount, Nullable: true},
	{Name: "clientSince", Column: account.FieldClientSince, Nullable: true},
	{Name: "currentMrr", Column: account.FieldCurrentMrr},
	{Name: "churnRiskScore", Column: account.FieldChurnRiskScore, Nullable: true},
	createdAtField,
	updatedAtField,
}

var lifecycleStatuses = []account.LifecycleStatus{
	account.LifecycleStatusPROSPECT,
	account.LifecycleStatusASSESSMENT,
	account.LifecycleStatusONBOARDING,
	account.LifecycleStatusACTIVE,
	account.LifecycleStatusAT_RISK,
	account.LifecycleStatusCHURNED,
}

var slaTiers = []account.SLATier{account.SLATierBRONZE, account.SLATierSILVER, account.SLATierGOLD}

var complianceFrameworks = []complianceitem.Framework{
	complianceitem.FrameworkHIPAA,
	complianceitem.FrameworkPCI_DSS,
	complianceitem.FrameworkSOC2,
	complianceitem.FrameworkCMMC,
	complianceitem.FrameworkNIST_CSF,
	complianceitem.FrameworkISO_27001,
	complianceitem.FrameworkGDPR,
	complianceitem.FrameworkCUSTOM,
}

// maxListItems bounds the tags and compliance frameworks of an account.
const maxListItems = rules.MaxListItems

// accountReadOnly lists the account fields that only the server sets.
var accountReadOnly = []string{"id", "currentMrr", "churnRisk", "createdAt", "updatedAt"}

func (a *api) listAccounts(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Account
	if status := enumFilter(f, "lifecycleStatus", lifecycleStatuses); status != "" {
		where = append(where, account.LifecycleStatusEQ(status))
	}
	if industry := f.text("industry"); industry != "" {
		where = append(where, account.IndustryEqualFold(industry))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.AccountQuery, *ent.Account, predicate.Account, account.OrderOption](
		req.ctx(), client.Account.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Account), nil
}

func (a *api) getAccount(req *request) (result, error) {
	found, err := getNode[*ent.Account](a, req, id.Account)
	if err != nil {
		return result{}, err
	}
	return ok(render.Account(found)), nil
}

func (a *api) createAccount(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(accountReadOnly...)
	fields := readAccount(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateAccountInput{Name: fields.name.V}
	setOptional(&input.LifecycleStatus, fields.lifecycleStatus)
	setOptional(&input.Industry, fields.industry)
	setOptional(&input.EmployeeCount, fields.employeeCount)
	setOptional(&input.ExternalID, fields.externalID)
	setOptional(&input.Website, fields.website)
	setOptional(&input.Phone, fields.phone)
	setOptional(&input.SLATier, fields.slaTier)
	setOptional(&input.ClientSince, fields.clientSince)
	setOptional(&input.ContractAnniversary, fields.contractAnniversary)
	setOptional(&input.FiscalYearEndMonth, fields.fiscalYearEndMonth)
	setOptional(&input.AccountManagerID, fields.accountManagerID)
	setOptional(&input.SalesRepID, fields.salesRepID)
	setOptional(&input.ParentID, fields.parentAccountID)
	if fields.complianceFrameworks.Set {
		input.ComplianceFrameworks = fields.complianceFrameworks.V
	}
	if fields.tags.Set {
		input.Tags = fields.tags.V
	}

	createdAccount, err := a.resolver.Mutation().CreateAccount(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Account(createdAccount)), nil
}

func (a *api) updateAccount(req *request) (result, error) {
	accountID, err := req.pathID(id.Account)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(accountReadOnly...)
	fields := readAccount(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	var input ent.UpdateAccountInput
	setOptional(&input.Name, fields.name)
	setOptional(&input.LifecycleStatus, fields.lifecycleStatus)
	patchOptional(&input.Industry, &input.ClearIndustry, fields.industry)
	patchOptional(&input.EmployeeCount, &input.ClearEmployeeCount, fields.employeeCount)
	patchOptional(&input.ExternalID, &input.ClearExternalID, fields.externalID)
	patchOptional(&input.Website, &input.ClearWebsite, fields.website)
	patchOptional(&input.Phone, &input.ClearPhone, fields.phone)
	patchOptional(&input.SLATier, &input.ClearSLATier, fields.slaTier)
	patchOptional(&input.ClientSince, &input.ClearClientSince, fields.clientSince)
	patchOptional(&input.ContractAnniversary, &input.ClearContractAnniversary, fields.contractAnniversary)
	patchOptional(&input.FiscalYearEndMonth, &input.ClearFiscalYearEndMonth, fields.fiscalYearEndMonth)
	patchOptional(&input.AccountManagerID, &input.ClearAccountManager, fields.accountManagerID)
	patchOptional(&input.SalesRepID, &input.ClearSalesRep, fields.salesRepID)
	patchOptional(&input.ParentID, &input.ClearParent, fields.parentAccountID)
	// A list replaces the stored one; null or [] empties it.
	replaceList(&input.ComplianceFrameworks, &input.ClearComplianceFrameworks, fields.complianceFrameworks)
	replaceList(&input.Tags, &input.ClearTags, fields.tags)

	updated, err := a.resolver.Mutation().UpdateAccount(req.ctx(), accountID, input)
	if err != nil {
		return result{}, err
	}
	return ok(render.Account(updated)), nil
}

// replaceList sets a list field of an update input: a non-empty list
// replaces the stored one, and null or an empty list clears it.
func replaceList(target *[]string, clear *bool, v value[[]string]) {
	switch {
	case v.Set && len(v.V) > 0:
		*target = v.V
	case v.Set || v.Null:
		*clear = true
	}
}

// deleteAccount soft-deletes an account by moving it to CHURNED and returns
// it; with ?force=true it deletes the account and everything that hangs off
// it for good and returns {"id", "deleted": true}.
func (a *api) deleteAccount(req *request) (result, error) {
	accountID, err := req.pathID(id.Account)
	if err != nil {
		return result{}, err
	}
	force := false
	switch raw := req.URL.Query().Get("force"); raw {
	case "", "false":
	case "true":
		force = true
	default:
		return result{}, apierr.Invalid("force", "must be true or false, got %q", raw)
	}

	deleted, err := a.resolver.Mutation().DeleteAccount(req.ctx(), accountID, &force)
	if err != nil {
		return result{}, err
	}
	if force {
		return ok(render.HardDeleted(accountID)), nil
	}
	return ok(render.Account(deleted)), nil
}

// listSites lists the sites of an account; an account that is missing or of
// another org is not found.
func (a *api) listSites(req *request) (result, error) {
	parent, err := getNode[*ent.Account](a, req, id.Account)
	if err != nil {
		return result{}, err
	}
	client := a.client(req)
	page, err := pagination.Paginate[*ent.SiteQuery, *ent.Site, predicate.Site, site.OrderOption](
		req.ctx(), client.Site.Query, []predicate.Site{site.AccountID(parent.ID)}, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Site), nil
}

var siteSorts = []pagination.Field{
	{Name: "name", Column: site.FieldName},
	createdAtField,
	updatedAtField,
}

// accountFields are the writable fields of an account as read from a body.
type accountFields struct {
	name                 value[string]
	lifecycleStatus      value[account.LifecycleStatus]
	industry             value[string]
	employeeCount        value[int]
	externalID           value[string]
	website              value[string]
	phone                value[string]
	slaTier              value[account.SLATier]
	clientSince          value[string]
	contractAnniversary  value[string]
	fiscalYearEndMonth   value[int]
	accountManagerID     value[string]
	salesRepID           value[string]
	parentAccountID      value[string]
	complianceFrameworks value[[]string]
	tags                 value[[]string]
}

func readAccount(b *body) accountFields {
	return accountFields{
		name:                 text(b, "name", textRule{presence: required}),
		lifecycleStatus:      enum(b, "lifecycleStatus", notNull, lifecycleStatuses),
		industry:             text(b, "industry", textRule{}),
		employeeCount:        integer(b, "employeeCount", optional, 0, 100_000_000),
		externalID:           text(b, "externalId", textRule{}),
		website:              text(b, "website", textRule{}),
		phone:                text(b, "phone", textRule{max: 64}),
		slaTier:              enum(b, "slaTier", optional, slaTiers),
		clientSince:          date(b, "clientSince"),
		contractAnniversary:  date(b, "contractAnniversary"),
		fiscalYearEndMonth:   integer(b, "fiscalYearEndMonth", optional, 1, 12),
		accountManagerID:     reference(b, "accountManagerId", optional, id.User),
		salesRepID:           reference(b, "salesRepId", optional, id.User),
		parentAccountID:      reference(b, "parentAccountId", optional, id.Account),
		complianceFrameworks: textList(b, "complianceFrameworks", maxListItems, rules.FrameworkProblem),
		tags:                 textList(b, "tags", maxListItems, rules.TagProblem),
	}
}
