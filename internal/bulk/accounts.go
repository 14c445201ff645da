package bulk

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/webhook"
)

// AccountItem is one account of a bulk upsert, matched to a stored account
// by externalId. An absent field keeps the stored value; null clears an
// optional one. name is required to create an account.
type AccountItem struct {
	ExternalID           Optional[string]                  `json:"externalId,omitzero"`
	Name                 Optional[string]                  `json:"name,omitzero"`
	LifecycleStatus      Optional[account.LifecycleStatus] `json:"lifecycleStatus,omitzero"`
	Industry             Optional[string]                  `json:"industry,omitzero"`
	EmployeeCount        Optional[int]                     `json:"employeeCount,omitzero"`
	Website              Optional[string]                  `json:"website,omitzero"`
	Phone                Optional[string]                  `json:"phone,omitzero"`
	SLATier              Optional[account.SLATier]         `json:"slaTier,omitzero"`
	AccountManagerID     Optional[string]                  `json:"accountManagerId,omitzero"`
	SalesRepID           Optional[string]                  `json:"salesRepId,omitzero"`
	ParentAccountID      Optional[string]                  `json:"parentAccountId,omitzero"`
	ClientSince          Optional[string]                  `json:"clientSince,omitzero"`
	ContractAnniversary  Optional[string]                  `json:"contractAnniversary,omitzero"`
	FiscalYearEndMonth   Optional[int]                     `json:"fiscalYearEndMonth,omitzero"`
	ComplianceFrameworks Optional[[]string]                `json:"complianceFrameworks,omitzero"`
	Tags                 Optional[[]string]                `json:"tags,omitzero"`
}

// Validate checks the item on its own, without the database. Paths are
// relative to the item, such as ["name"].
func (item AccountItem) Validate() []apierr.Detail {
	var c checker
	c.key("externalId", item.ExternalID, maxName)
	c.required("name", item.Name, maxName)
	enum(&c, "lifecycleStatus", item.LifecycleStatus, false,
		account.LifecycleStatusPROSPECT, account.LifecycleStatusASSESSMENT, account.LifecycleStatusONBOARDING,
		account.LifecycleStatusACTIVE, account.LifecycleStatusAT_RISK, account.LifecycleStatusCHURNED)
	c.text("industry", item.Industry, maxName)
	c.intRange("employeeCount", item.EmployeeCount, 0, math.MaxInt32)
	c.text("website", item.Website, maxName)
	c.text("phone", item.Phone, maxPhone)
	enum(&c, "slaTier", item.SLATier, true, account.SLATierBRONZE, account.SLATierSILVER, account.SLATierGOLD)
	c.reference("accountManagerId", item.AccountManagerID, id.User, true)
	c.reference("salesRepId", item.SalesRepID, id.User, true)
	c.reference("parentAccountId", item.ParentAccountID, id.Account, true)
	c.date("clientSince", item.ClientSince)
	c.date("contractAnniversary", item.ContractAnniversary)
	c.intRange("fiscalYearEndMonth", item.FiscalYearEndMonth, 1, 12)
	c.strings("complianceFrameworks", item.ComplianceFrameworks)
	c.strings("tags", item.Tags)
	return c.details
}

// apply copies the item's fields onto a and reports whether a changed.
func (item AccountItem) apply(a *ent.Account) bool {
	changed := assign(&a.Name, item.Name)
	changed = assign(&a.LifecycleStatus, item.LifecycleStatus) || changed
	changed = assignNillable(&a.Industry, item.Industry) || changed
	changed = assignNillable(&a.EmployeeCount, item.EmployeeCount) || changed
	changed = assignNillable(&a.Website, item.Website) || changed
	changed = assignNillable(&a.Phone, item.Phone) || changed
	changed = assignNillable(&a.SLATier, item.SLATier) || changed
	changed = assignNillable(&a.AccountManagerID, item.AccountManagerID) || changed
	changed = assignNillable(&a.SalesRepID, item.SalesRepID) || changed
	changed = assignNillable(&a.ParentAccountID, item.ParentAccountID) || changed
	changed = assignNillable(&a.ClientSince, item.ClientSince) || changed
	changed = assignNillable(&a.ContractAnniversary, item.ContractAnniversary) || changed
	changed = assignNillable(&a.FiscalYearEndMonth, item.FiscalYearEndMonth) || changed
	changed = assignStrings(&a.ComplianceFrameworks, item.ComplianceFrameworks) || changed
	changed = assignStrings(&a.Tags, item.Tags) || changed
	return changed
}

// AccountResult is the outcome of one item, in input order.
type AccountResult struct {
	ExternalID string `json:"externalId"`
	ID         string `json:"id"`
	Action     Action `json:"action"`
	// Changed is true when a row was written: always for a created account,
	// and for an updated one only when a field differed from the stored row.
	Changed bool `json:"-"`
	// Previous is the stored row before the write, nil for a created account.
	Previous *ent.Account `json:"-"`
	// Account is the row as stored after the write.
	Account *ent.Account `json:"-"`
}

// AccountsResult is the response of a bulk account upsert.
type AccountsResult struct {
	Created int             `json:"created"`
	Updated int             `json:"updated"`
	Total   int             `json:"total"`
	Results []AccountResult `json:"results"`
}

// UpsertAccounts creates or updates accounts by externalId in the caller's
// org, in one transaction (the request's, when ctx carries one). It returns a
// validation_error listing every problem when any item is invalid, and then
// writes nothing.
func UpsertAccounts(ctx context.Context, client *ent.Client, items []AccountItem) (*AccountsResult, error) {
	if err := checkSize("accounts", len(items)); err != nil {
		return nil, err
	}
	orgID, err := callerOrg(ctx)
	if err != nil {
		return nil, err
	}

	var found problems
	keys := make([]string, len(items))
	for i, item := range items {
		found.addItem("accounts", i, item.Validate())
		if item.ExternalID.Set() && strings.TrimSpace(item.ExternalID.Value) != "" {
			keys[i] = item.ExternalID.Value
		}
	}
	repeatedKeys(&found, "accounts", "externalId", keys, keys)

	var result *AccountsResult
	err = database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		existing, err := existingAccounts(ctx, tx, orgID, keys)
		if err != nil {
			return err
		}
		if err := checkAccountReferences(ctx, tx, orgID, items, existing, &found); err != nil {
			return err
		}
		if err := checkAccountParents(ctx, tx, orgID, items, existing, &found); err != nil {
			return err
		}
		if err := found.err(); err != nil {
			return err
		}
		result, err = writeAccounts(ctx, tx, orgID, items, existing)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// existingAccounts loads the org's accounts whose externalId is among keys,
// by key, locking them on PostgreSQL.
func existingAccounts(ctx context.Context, tx *ent.Client, orgID string, keys []string) (map[string]*ent.Account, error) {
	lookup := nonEmpty(keys)
	byKey := make(map[string]*ent.Account, len(lookup))
	if len(lookup) == 0 {
		return byKey, nil
	}
	query := tx.Account.Query().Where(account.OrgID(orgID), account.ExternalIDIn(lookup...))
	query.Modify(lockRows)
	rows, err := query.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the existing accounts: %w", err)
	}
	for _, row := range rows {
		byKey[*row.ExternalID] = row
	}
	return byKey, nil
}

// checkAccountReferences checks, in one query per entity type, that every
// user and parent account named exists in the org, that no account is its
// own parent, and that a new account has a name.
func checkAccountReferences(ctx context.Context, tx *ent.Client, orgID string, items []AccountItem, existing map[string]*ent.Account, found *problems) error {
	type reference struct {
		field  string
		value  Optional[string]
		prefix string
	}
	references := func(item AccountItem) []reference {
		return []reference{
			{"accountManagerId", item.AccountManagerID, id.User},
			{"salesRepId", item.SalesRepID, id.User},
			{"parentAccountId", item.ParentAccountID, id.Account},
		}
	}

	var ids []string
	for _, item := range items {
		for _, ref := range references(item) {
			if ref.value.Set() && id.HasPrefix(ref.value.Value, ref.prefix) {
				ids = append(ids, ref.value.Value)
			}
		}
	}
	exists, err := existingSet(ctx, tx, orgID, ids)
	if err != nil {
		return err
	}

	for i, item := range items {
		for _, ref := range references(item) {
			if ref.value.Set() && id.HasPrefix(ref.value.Value, ref.prefix) && !exists[ref.value.Value] {
				found.add([]any{"accounts", i, ref.field}, "refers to %s, which was not found in this org", ref.value.Value)
			}
		}
		stored := existing[item.ExternalID.Value]
		if stored == nil && !item.Name.Present {
			found.add([]any{"accounts", i, "name"}, "is required to create an account")
		}
		if stored != nil && item.ParentAccountID.Set() && item.ParentAccountID.Value == stored.ID {
			found.add([]any{"accounts", i, "parentAccountId"}, "is the account's own ID; an account cannot be its own parent")
		}
	}
	return nil
}

// checkAccountParents rejects every parentAccountId that would break the
// account hierarchy once the whole batch is written: one that makes a cycle,
// one whose parent chain already loops, and one that gives the account more
// than rules.MaxAccountAncestors ancestors. Parents that are missing, another
// org's or the account itself are left to checkAccountReferences, and an
// item that keeps its account's stored parent is not checked.
//
// It loads the stored hierarchy above the named parents with one query per
// level, so the number of queries grows with the depth of the hierarchy
// (at most rules.MaxAccountAncestors), not with the batch. On PostgreSQL
// the rows read stay locked until the transaction ends, as in
// rules.AccountParent, which the batch's writes then skip.
func checkAccountParents(ctx context.Context, tx *ent.Client, orgID string, items []AccountItem, existing map[string]*ent.Account, found *problems) error {
	// pending maps each stored account whose item sets or clears
	// parentAccountId to its new parent, nil for none. An item that names
	// its own account is left out, because checkAccountReferences reports it.
	pending := make(map[string]*string)
	var named []string
	for _, item := range items {
		parent := item.ParentAccountID
		if parent.Set() && id.HasPrefix(parent.Value, id.Account) {
			named = append(named, parent.Value)
		}
		stored := existing[item.ExternalID.Value]
		switch {
		case stored == nil || !parent.Present:
		case parent.Null:
			pending[stored.ID] = nil
		case id.HasPrefix(parent.Value, id.Account) && parent.Value != stored.ID:
			pending[stored.ID] = &parent.Value
		}
	}
	if len(named) == 0 {
		return nil
	}

	storedParents, err := loadAncestors(ctx, tx, orgID, named, pending)
	if err != nil {
		return err
	}
	parentOf := func(_ context.Context, accountID string) (*string, bool, error) {
		if parent, changed := pending[accountID]; changed {
			if parent == nil {
				return nil, true, nil
			}
			if _, loaded := storedParents[*parent]; !loaded {
				// The missing parent is reported on the item that names it,
				// so the walk ends here instead of reporting it again.
				return nil, true, nil
			}
			return parent, true, nil
		}
		parent, loaded := storedParents[accountID]
		return parent, loaded, nil
	}

	for i, item := range items {
		parent := item.ParentAccountID
		if !parent.Set() {
			continue
		}
		if _, loaded := storedParents[parent.Value]; !loaded {
			continue // Validate or checkAccountReferences reports this parent
		}
		moving := make(map[string]bool)
		if stored := existing[item.ExternalID.Value]; stored != nil {
			if stored.ID == parent.Value || (stored.ParentAccountID != nil && *stored.ParentAccountID == parent.Value) {
				continue
			}
			moving[stored.ID] = true
		}
		problem, err := rules.ValidateAccountParent(ctx, parent.Value, moving, parentOf)
		if err != nil {
			return err
		}
		if problem != "" {
			found.add([]any{"accounts", i, "parentAccountId"}, "%s", problem)
		}
	}
	return nil
}

// loadAncestors loads the stored parent of each account in ids and of the
// accounts above them, up to rules.MaxAccountAncestors levels, one query per
// level. Above an account of pending it follows the pending parent instead
// of the stored one. The result has an entry for every account found in the
// org, nil for one without a parent.
func loadAncestors(ctx context.Context, tx *ent.Client, orgID string, ids []string, pending map[string]*string) (map[string]*string, error) {
	storedParents := make(map[string]*string)
	level := unique(ids)
	for range rules.MaxAccountAncestors {
		if len(level) == 0 {
			break
		}
		query := tx.Account.Query().Where(account.OrgID(orgID), account.IDIn(level...))
		query.Modify(rules.LockForShare)
		rows, err := query.All(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading the parent accounts: %w", err)
		}

		var above []string
		for _, row := range rows {
			storedParents[row.ID] = row.ParentAccountID
			parent := row.ParentAccountID
			if pendingParent, changed := pending[row.ID]; changed {
				parent = pendingParent
			}
			if parent != nil {
				above = append(above, *parent)
			}
		}
		var next []string
		for _, accountID := range unique(above) {
			if _, loaded := storedParents[accountID]; !loaded {
				next = append(next, accountID)
			}
		}
		level = next
	}
	return storedParents, nil
}

// writeAccounts inserts the new accounts in one statement and upserts the
// changed ones in another; unchanged accounts are not written.
func writeAccounts(ctx context.Context, tx *ent.Client, orgID string, items []AccountItem, existing map[string]*ent.Account) (*AccountsResult, error) {
	result := &AccountsResult{Total: len(items), Results: make([]AccountResult, len(items))}
	var creates, updates []*ent.AccountCreate
	var createAt []int
	var references []string
	writtenAt := now()

	for i, item := range items {
		key := item.ExternalID.Value
		outcome := AccountResult{ExternalID: key}
		if stored := existing[key]; stored != nil {
			merged := *stored
			outcome.ID, outcome.Action, outcome.Previous = stored.ID, ActionUpdated, stored
			outcome.Changed = item.apply(&merged)
			outcome.Account = &merged
			if outcome.Changed {
				merged.UpdatedAt = writtenAt
				updates = append(updates, accountCreate(tx, &merged).SetID(stored.ID).SetUpdatedAt(writtenAt))
				references = append(references, accountReferences(&merged)...)
			}
			result.Updated++
		} else {
			created := ent.Account{ExternalID: &key, LifecycleStatus: account.DefaultLifecycleStatus}
			item.apply(&created)
			outcome.Action, outcome.Changed = ActionCreated, true
			creates = append(creates, accountCreate(tx, &created))
			references = append(references, accountReferences(&created)...)
			createAt = append(createAt, i)
			result.Created++
		}
		result.Results[i] = outcome
	}

	ctx = withCheckedReferences(ctx, orgID, unique(references))
	// checkAccountParents has checked the hierarchy the batch leaves behind.
	// The hook of each row would see the hierarchy before the batch.
	ctx = rules.WithCheckedAccountParents(ctx, orgID)
	if len(creates) > 0 {
		rows, err := tx.Account.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("inserting %d accounts: %w", len(creates), err)
		}
		for n, row := range rows {
			result.Results[createAt[n]].ID = row.ID
			result.Results[createAt[n]].Account = row
		}
	}
	if len(updates) > 0 {
		// Only the fields an item can set are updated; computed columns
		// (currentMrr, churn risk) keep their stored values.
		err := tx.Account.CreateBulk(updates...).
			OnConflictColumns(account.FieldOrgID, account.FieldExternalID).
			Update(func(u *ent.AccountUpsert) {
				u.UpdateName().UpdateLifecycleStatus().UpdateIndustry().UpdateEmployeeCount().
					UpdateWebsite().UpdatePhone().UpdateSLATier().UpdateAccountManagerID().
					UpdateSalesRepID().UpdateParentAccountID().UpdateClientSince().
					UpdateContractAnniversary().UpdateFiscalYearEndMonth().
					UpdateComplianceFrameworks().UpdateTags().UpdateUpdatedAt()
			}).
			Exec(webhook.WithStoredRows(ctx, existing))
		if err != nil {
			return nil, fmt.Errorf("updating %d accounts: %w", len(updates), err)
		}
	}
	return result, nil
}

// accountCreate returns a builder that writes every field an item can set.
func accountCreate(tx *ent.Client, a *ent.Account) *ent.AccountCreate {
	create := tx.Account.Create().
		SetName(a.Name).
		SetLifecycleStatus(a.LifecycleStatus).
		SetNillableIndustry(a.Industry).
		SetNillableEmployeeCount(a.EmployeeCount).
		SetNillableExternalID(a.ExternalID).
		SetNillableWebsite(a.Website).
		SetNillablePhone(a.Phone).
		SetNillableSLATier(a.SLATier).
		SetNillableAccountManagerID(a.AccountManagerID).
		SetNillableSalesRepID(a.SalesRepID).
		SetNillableParentAccountID(a.ParentAccountID).
		SetNillableClientSince(a.ClientSince).
		SetNillableContractAnniversary(a.ContractAnniversary).
		SetNillableFiscalYearEndMonth(a.FiscalYearEndMonth)
	if a.ComplianceFrameworks != nil {
		create.SetComplianceFrameworks(a.ComplianceFrameworks)
	}
	if a.Tags != nil {
		create.SetTags(a.Tags)
	}
	return create
}

// accountReferences lists the users and the parent account a to-be-written
// account points to.
func accountReferences(a *ent.Account) []string {
	var ids []string
	for _, ref := range []*string{a.AccountManagerID, a.SalesRepID, a.ParentAccountID} {
		if ref != nil {
			ids = append(ids, *ref)
		}
	}
	return ids
}
