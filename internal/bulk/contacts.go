package bulk

import (
	"context"
	"fmt"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/contact"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/webhook"
)

// ContactItem is one contact of a bulk upsert, matched to a stored contact by
// email regardless of case. An absent field keeps the stored value; null
// clears an optional one. firstName is required to create a contact.
//
// accountId links the contact to one account and accounts to several, each
// with the contact's role there. A link that exists is updated with the
// fields it sends; links to accounts the item does not name are kept.
type ContactItem struct {
	Email     Optional[string]        `json:"email,omitzero"`
	FirstName Optional[string]        `json:"firstName,omitzero"`
	LastName  Optional[string]        `json:"lastName,omitzero"`
	Phone     Optional[string]        `json:"phone,omitzero"`
	Title     Optional[string]        `json:"title,omitzero"`
	AccountID Optional[string]        `json:"accountId,omitzero"`
	Accounts  Optional[[]AccountLink] `json:"accounts,omitzero"`
}

// AccountLink is the contact's relationship with one account.
type AccountLink struct {
	AccountID Optional[string]                   `json:"accountId,omitzero"`
	Role      Optional[string]                   `json:"role,omitzero"`
	IsPrimary Optional[bool]                     `json:"isPrimary,omitzero"`
	Influence Optional[accountcontact.Influence] `json:"influence,omitzero"`
}

// Validate checks the item on its own, without the database. Paths are
// relative to the item, such as ["accounts", 1, "influence"].
func (item ContactItem) Validate() []apierr.Detail {
	var c checker
	c.key("email", item.Email, maxEmail)
	if item.Email.Set() && strings.TrimSpace(item.Email.Value) != "" {
		if _, err := rules.NormalizeEmail(item.Email.Value); err != nil {
			c.add("email", "%s", err.Error())
		}
	}
	c.required("firstName", item.FirstName, maxName)
	c.text("lastName", item.LastName, maxName)
	c.text("phone", item.Phone, maxPhone)
	c.text("title", item.Title, maxName)
	c.reference("accountId", item.AccountID, id.Account, true)
	if item.AccountID.Set() && item.Accounts.Set() {
		c.add("accounts", "cannot be sent with accountId; list every account in accounts")
	}

	seen := make(map[string]int)
	for j, link := range item.Accounts.Value {
		for _, detail := range link.validate() {
			c.details = append(c.details, apierr.Detail{Path: append([]any{"accounts", j}, detail.Path...), Message: detail.Message})
		}
		accountID := link.AccountID.Value
		if earlier, ok := seen[accountID]; ok && accountID != "" {
			c.details = append(c.details, apierr.Detail{
				Path:    []any{"accounts", j, "accountId"},
				Message: fmt.Sprintf("account %s also appears at accounts[%d]; link each account once", accountID, earlier),
			})
			continue
		}
		seen[accountID] = j
	}
	return c.details
}

func (link AccountLink) validate() []apierr.Detail {
	var c checker
	if !link.AccountID.Present {
		c.add("accountId", "is required")
	}
	c.reference("accountId", link.AccountID, id.Account, false)
	c.text("role", link.Role, maxName)
	notNull(&c, "isPrimary", link.IsPrimary)
	enum(&c, "influence", link.Influence, true,
		accountcontact.InfluenceCHAMPION, accountcontact.InfluenceDECISION_MAKER,
		accountcontact.InfluenceGATEKEEPER, accountcontact.InfluenceDETRACTOR)
	return c.details
}

// links returns the item's account links, with accountId as a one-link list.
func (item ContactItem) links() []AccountLink {
	if item.AccountID.Set() {
		return []AccountLink{{AccountID: item.AccountID}}
	}
	if item.Accounts.Set() {
		return item.Accounts.Value
	}
	return nil
}

// linkPath returns the path of a field of link j of item i, which is the
// item's accountId when the item sent that instead of accounts.
func (item ContactItem) linkPath(i, j int, field string) []any {
	if item.AccountID.Set() && field == "accountId" {
		return []any{"contacts", i, "accountId"}
	}
	return []any{"contacts", i, "accounts", j, field}
}

// apply copies the item's contact fields onto c and reports whether c
// changed.
func (item ContactItem) apply(c *ent.Contact) bool {
	email := item.Email
	email.Value = strings.TrimSpace(email.Value)
	lastName := item.LastName
	if lastName.Null {
		lastName = Some("")
	}
	changed := assignNillable(&c.Email, email)
	changed = assign(&c.FirstName, item.FirstName) || changed
	changed = assign(&c.LastName, lastName) || changed
	changed = assignNillable(&c.Phone, item.Phone) || changed
	changed = assignNillable(&c.Title, item.Title) || changed
	return changed
}

// apply copies the link's fields onto l and reports whether l changed.
func (link AccountLink) apply(l *ent.AccountContact) bool {
	changed := assignNillable(&l.Role, link.Role)
	changed = assign(&l.IsPrimary, link.IsPrimary) || changed
	changed = assignNillable(&l.Influence, link.Influence) || changed
	return changed
}

// ContactResult is the outcome of one item, in input order.
type ContactResult struct {
	Email  string `json:"email"`
	ID     string `json:"id"`
	Action Action `json:"action"`
	// Changed is true when a row was written: always for a created contact,
	// and for an updated one only when a field or an account link differed
	// from what was stored. A link change also moves the contact's
	// updatedAt, so an incremental sync by updatedAfter returns the contact.
	Changed bool `json:"-"`
	// Previous is the stored row before the write, nil for a created contact.
	Previous *ent.Contact `json:"-"`
	// Contact is the row as stored after the write.
	Contact *ent.Contact `json:"-"`
}

// ContactsResult is the response of a bulk contact upsert.
type ContactsResult struct {
	Created int             `json:"created"`
	Updated int             `json:"updated"`
	Total   int             `json:"total"`
	Results []ContactResult `json:"results"`
}

// UpsertContacts creates or updates contacts by email (case-insensitive) in
// the caller's org, with their account links, in one transaction (the
// request's, when ctx carries one). It returns a validation_error listing
// every problem when any item is invalid, and then writes nothing.
func UpsertContacts(ctx context.Context, client *ent.Client, items []ContactItem) (*ContactsResult, error) {
	if err := checkSize("contacts", len(items)); err != nil {
		return nil, err
	}
	orgID, err := callerOrg(ctx)
	if err != nil {
		return nil, err
	}

	var found problems
	keys := make([]string, len(items))
	display := make([]string, len(items))
	for i, item := range items {
		found.addItem("contacts", i, item.Validate())
		if key, err := rules.NormalizeEmail(item.Email.Value); item.Email.Set() && err == nil {
			keys[i], display[i] = key, item.Email.Value
		}
	}
	repeatedKeys(&found, "contacts", "email", keys, display)
	repeatedPrimaries(&found, items)

	var result *ContactsResult
	err = database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		existing, err := existingContacts(ctx, tx, orgID, keys)
		if err != nil {
			return err
		}
		if err := checkContactReferences(ctx, tx, orgID, items, keys, existing, &found); err != nil {
			return err
		}
		if err := found.err(); err != nil {
			return err
		}
		links, err := existingLinks(ctx, tx, existing)
		if err != nil {
			return err
		}
		result, err = writeContacts(ctx, tx, orgID, items, keys, existing, links)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// repeatedPrimaries rejects two items that both make themselves the primary
// contact of one account, since an account has at most one.
func repeatedPrimaries(found *problems, items []ContactItem) {
	primaryOf := make(map[string]int)
	for i, item := range items {
		for j, link := range item.links() {
			if !link.IsPrimary.Set() || !link.IsPrimary.Value || !link.AccountID.Set() {
				continue
			}
			accountID := link.AccountID.Value
			if earlier, ok := primaryOf[accountID]; ok && earlier != i {
				found.add(item.linkPath(i, j, "isPrimary"), "account %s already gets its primary contact from index %d; an account has at most one primary contact", accountID, earlier)
				continue
			}
			primaryOf[accountID] = i
		}
	}
}

// existingContacts loads the org's contacts whose lower-case email is among
// keys, by key, locking them on PostgreSQL.
func existingContacts(ctx context.Context, tx *ent.Client, orgID string, keys []string) (map[string]*ent.Contact, error) {
	lookup := nonEmpty(keys)
	byKey := make(map[string]*ent.Contact, len(lookup))
	if len(lookup) == 0 {
		return byKey, nil
	}
	query := tx.Contact.Query().Where(contact.OrgID(orgID), contact.EmailKeyIn(lookup...))
	query.Modify(lockRows)
	rows, err := query.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the existing contacts: %w", err)
	}
	for _, row := range rows {
		byKey[*row.EmailKey] = row
	}
	return byKey, nil
}

// checkContactReferences checks, in one query, that every linked account
// exists in the org, and that a new contact has a first name.
func checkContactReferences(ctx context.Context, tx *ent.Client, orgID string, items []ContactItem, keys []string, existing map[string]*ent.Contact, found *problems) error {
	var ids []string
	for _, item := range items {
		for _, link := range item.links() {
			if link.AccountID.Set() && id.HasPrefix(link.AccountID.Value, id.Account) {
				ids = append(ids, link.AccountID.Value)
			}
		}
	}
	exists, err := existingSet(ctx, tx, orgID, ids)
	if err != nil {
		return err
	}

	for i, item := range items {
		for j, link := range item.links() {
			accountID := link.AccountID.Value
			if link.AccountID.Set() && id.HasPrefix(accountID, id.Account) && !exists[accountID] {
				found.add(item.linkPath(i, j, "accountId"), "refers to %s, which was not found in this org", accountID)
			}
		}
		if existing[keys[i]] == nil && !item.FirstName.Present {
			found.add([]any{"contacts", i, "firstName"}, "is required to create a contact")
		}
	}
	return nil
}

// linkKey identifies an account–contact link.
type linkKey struct{ accountID, contactID string }

// existingLinks loads the account links of the stored contacts.
func existingLinks(ctx context.Context, tx *ent.Client, existing map[string]*ent.Contact) (map[linkKey]*ent.AccountContact, error) {
	byKey := make(map[linkKey]*ent.AccountContact)
	if len(existing) == 0 {
		return byKey, nil
	}
	contactIDs := make([]string, 0, len(existing))
	for _, stored := range existing {
		contactIDs = append(contactIDs, stored.ID)
	}
	query := tx.AccountContact.Query().Where(accountcontact.ContactIDIn(contactIDs...))
	query.Modify(lockRows)
	rows, err := query.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the contacts' account links: %w", err)
	}
	for _, row := range rows {
		byKey[linkKey{row.AccountID, row.ContactID}] = row
	}
	return byKey, nil
}

// writeContacts writes the new and changed contacts, then their new and
// changed links, with one statement each; unchanged rows are not written.
func writeContacts(ctx context.Context, tx *ent.Client, orgID string, items []ContactItem, keys []string, existing map[string]*ent.Contact, links map[linkKey]*ent.AccountContact) (*ContactsResult, error) {
	result := &ContactsResult{Total: len(items), Results: make([]ContactResult, len(items))}
	var newLinks, changedLinks []*ent.AccountContactCreate
	var contactCreates, contactUpdates []*ent.ContactCreate
	var createAt []int
	var references []string
	writtenAt := now()

	for i, item := range items {
		outcome := ContactResult{Email: item.Email.Value}
		stored := existing[keys[i]]
		var row ent.Contact
		if stored != nil {
			row = *stored
			outcome.ID, outcome.Action, outcome.Previous = stored.ID, ActionUpdated, stored
			outcome.Changed = item.apply(&row)
			result.Updated++
		} else {
			row = ent.Contact{ID: id.New(id.Contact), LastName: contact.DefaultLastName}
			item.apply(&row)
			outcome.ID, outcome.Action, outcome.Changed = row.ID, ActionCreated, true
			result.Created++
		}

		for _, link := range item.links() {
			key := linkKey{link.AccountID.Value, row.ID}
			references = append(references, key.accountID, key.contactID)
			if storedLink := links[key]; storedLink != nil {
				merged := *storedLink
				if link.apply(&merged) {
					changedLinks = append(changedLinks, linkCreate(tx, &merged).SetID(storedLink.ID).SetUpdatedAt(writtenAt))
					outcome.Changed = true
				}
				continue
			}
			created := ent.AccountContact{AccountID: key.accountID, ContactID: key.contactID}
			link.apply(&created)
			newLinks = append(newLinks, linkCreate(tx, &created))
			outcome.Changed = true
		}

		switch {
		case stored == nil:
			contactCreates = append(contactCreates, contactCreate(tx, &row).SetID(row.ID))
			createAt = append(createAt, i)
		case outcome.Changed:
			row.UpdatedAt = writtenAt
			contactUpdates = append(contactUpdates, contactCreate(tx, &row).SetID(stored.ID).SetUpdatedAt(writtenAt))
		}
		outcome.Contact = &row
		result.Results[i] = outcome
	}

	ctx = withCheckedReferences(ctx, orgID, unique(references))
	if len(contactCreates) > 0 {
		rows, err := tx.Contact.CreateBulk(contactCreates...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("inserting %d contacts: %w", len(contactCreates), err)
		}
		for n, row := range rows {
			result.Results[createAt[n]].Contact = row
		}
	}
	if len(contactUpdates) > 0 {
		err := tx.Contact.CreateBulk(contactUpdates...).
			OnConflictColumns(contact.FieldOrgID, contact.FieldEmailKey).
			Update(func(u *ent.ContactUpsert) {
				u.UpdateEmail().UpdateEmailKey().UpdateFirstName().UpdateLastName().
					UpdatePhone().UpdateTitle().UpdateUpdatedAt()
			}).
			Exec(webhook.WithStoredRows(ctx, existing))
		if err != nil {
			return nil, fmt.Errorf("updating %d contacts: %w", len(contactUpdates), err)
		}
	}
	// The links' churn-risk triggers are collected and queued in one
	// statement per org, not one per link.
	linkCtx, triggers := trigger.WithBatch(ctx)
	if len(newLinks) > 0 {
		if err := tx.AccountContact.CreateBulk(newLinks...).Exec(linkCtx); err != nil {
			return nil, fmt.Errorf("linking %d contacts to accounts: %w", len(newLinks), err)
		}
	}
	if len(changedLinks) > 0 {
		err := tx.AccountContact.CreateBulk(changedLinks...).
			OnConflictColumns(accountcontact.FieldAccountID, accountcontact.FieldContactID).
			Update(func(u *ent.AccountContactUpsert) {
				u.UpdateRole().UpdateIsPrimary().UpdateInfluence().UpdateUpdatedAt()
			}).
			Exec(linkCtx)
		if err != nil {
			return nil, fmt.Errorf("updating %d account links: %w", len(changedLinks), err)
		}
	}
	if err := triggers.Flush(ctx, tx); err != nil {
		return nil, err
	}
	return result, nil
}

// contactCreate returns a builder that writes every field an item can set.
func contactCreate(tx *ent.Client, c *ent.Contact) *ent.ContactCreate {
	return tx.Contact.Create().
		SetFirstName(c.FirstName).
		SetLastName(c.LastName).
		SetNillableEmail(c.Email).
		SetNillablePhone(c.Phone).
		SetNillableTitle(c.Title)
}

// linkCreate returns a builder that writes every field of an account link.
func linkCreate(tx *ent.Client, l *ent.AccountContact) *ent.AccountContactCreate {
	return tx.AccountContact.Create().
		SetAccountID(l.AccountID).
		SetContactID(l.ContactID).
		SetNillableRole(l.Role).
		SetIsPrimary(l.IsPrimary).
		SetNillableInfluence(l.Influence)
}
