package rest

import (
	"context"
	"fmt"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/contact"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var contactSorts = []pagination.Field{
	{Name: "firstName", Column: contact.FieldFirstName},
	{Name: "lastName", Column: contact.FieldLastName},
	{Name: "email", Column: contact.FieldEmail, Nullable: true},
	createdAtField,
	updatedAtField,
}

var influences = []accountcontact.Influence{
	accountcontact.InfluenceCHAMPION,
	accountcontact.InfluenceDECISION_MAKER,
	accountcontact.InfluenceGATEKEEPER,
	accountcontact.InfluenceDETRACTOR,
}

// maxAccountLinks bounds the accounts one request may link a contact to.
const maxAccountLinks = 100

var contactReadOnly = []string{"id", "createdAt", "updatedAt"}

func (a *api) listContacts(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Contact
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, contact.HasAccountsWith(account.ID(accountID)))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.ContactQuery, *ent.Contact, predicate.Contact, contact.OrderOption](
		req.ctx(), client.Contact.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	links, err := a.accountLinks(req.ctx(), client, page.Items...)
	if err != nil {
		return result{}, err
	}
	return listOf(page, func(c *ent.Contact) render.ContactJSON { return render.Contact(c, links[c.ID]) }), nil
}

// accountLinks loads the account relationships of contacts in one query.
func (a *api) accountLinks(ctx context.Context, client *ent.Client, contacts ...*ent.Contact) (map[string][]*ent.AccountContact, error) {
	if len(contacts) == 0 {
		return nil, nil
	}
	ids := make([]string, len(contacts))
	for i, c := range contacts {
		ids[i] = c.ID
	}
	links, err := client.AccountContact.Query().
		Where(accountcontact.ContactIDIn(ids...)).
		Order(ent.Asc(accountcontact.FieldCreatedAt), ent.Asc(accountcontact.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the contacts' account relationships: %w", err)
	}
	byContact := make(map[string][]*ent.AccountContact, len(contacts))
	for _, link := range links {
		byContact[link.ContactID] = append(byContact[link.ContactID], link)
	}
	return byContact, nil
}

func (a *api) renderContact(req *request, c *ent.Contact) (render.ContactJSON, error) {
	links, err := a.accountLinks(req.ctx(), a.client(req), c)
	if err != nil {
		return render.ContactJSON{}, err
	}
	return render.Contact(c, links[c.ID]), nil
}

func (a *api) getContact(req *request) (result, error) {
	found, err := getNode[*ent.Contact](a, req, id.Contact)
	if err != nil {
		return result{}, err
	}
	rendered, err := a.renderContact(req, found)
	if err != nil {
		return result{}, err
	}
	return ok(rendered), nil
}

// accountLink is one account a new contact is linked to.
type accountLink struct {
	// path locates the link in the body, for errors: ["accountId"] or
	// ["accounts", i].
	path  []any
	input ent.CreateAccountContactInput
}

// createContact creates a contact and links it to the accounts named by
// accountId (one account) or accounts (a list of {accountId, role,
// isPrimary, influence}), in one transaction.
func (a *api) createContact(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(contactReadOnly...)
	fields := readContact(b)
	links := readAccountLinks(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateContactInput{FirstName: fields.firstName.V}
	setOptional(&input.LastName, fields.lastName)
	setOptional(&input.Email, fields.email)
	setOptional(&input.Phone, fields.phone)
	setOptional(&input.Title, fields.title)

	mutation := a.resolver.Mutation()
	createdContact, err := mutation.CreateContact(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	for _, link := range links {
		link.input.ContactID = createdContact.ID
		if _, err := mutation.LinkAccountContact(req.ctx(), link.input); err != nil {
			return result{}, atPath(err, link.path)
		}
	}

	rendered, err := a.renderContact(req, createdContact)
	if err != nil {
		return result{}, err
	}
	return created(rendered), nil
}

// atPath moves the detail paths of a validation error under prefix, so an
// error about accountId of the second link reads ["accounts", 1, "accountId"].
// A single accountId keeps its own path.
func atPath(err error, prefix []any) error {
	apiErr, isAPIError := apierr.As(err)
	if !isAPIError || apiErr.Code != apierr.ValidationError || len(prefix) < 2 {
		return err
	}
	return apiErr.Prefix(prefix...)
}

func (a *api) updateContact(req *request) (result, error) {
	contactID, err := req.pathID(id.Contact)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(contactReadOnly...)
	b.reject("cannot be changed on PATCH; the account relationships are set when the contact is created", "accounts", "accountId")
	fields := readContact(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	var input ent.UpdateContactInput
	setOptional(&input.FirstName, fields.firstName)
	setOptional(&input.LastName, fields.lastName)
	if fields.lastName.Null {
		// The last name is stored as text that defaults to empty, so null
		// empties it.
		empty := ""
		input.LastName = &empty
	}
	patchOptional(&input.Email, &input.ClearEmail, fields.email)
	patchOptional(&input.Phone, &input.ClearPhone, fields.phone)
	patchOptional(&input.Title, &input.ClearTitle, fields.title)

	updated, err := a.resolver.Mutation().UpdateContact(req.ctx(), contactID, input)
	if err != nil {
		return result{}, err
	}
	rendered, err := a.renderContact(req, updated)
	if err != nil {
		return result{}, err
	}
	return ok(rendered), nil
}

type contactFields struct {
	firstName value[string]
	lastName  value[string]
	email     value[string]
	phone     value[string]
	title     value[string]
}

func readContact(b *body) contactFields {
	return contactFields{
		firstName: text(b, "firstName", textRule{presence: required}),
		lastName:  text(b, "lastName", textRule{blank: true}),
		email:     text(b, "email", textRule{max: 320}),
		phone:     text(b, "phone", textRule{max: 64}),
		title:     text(b, "title", textRule{}),
	}
}

// readAccountLinks reads accountId or accounts, which exclude each other. An
// account named twice is a problem at both indexes.
func readAccountLinks(b *body) []accountLink {
	single := reference(b, "accountId", optional, id.Account)
	items, listed := objectList(b, "accounts", maxAccountLinks)
	if single.Set && listed {
		b.fail("accounts", "cannot be combined with accountId; send one or the other")
		return nil
	}
	if single.Set {
		return []accountLink{{path: []any{"accountId"}, input: ent.CreateAccountContactInput{AccountID: single.V}}}
	}

	var links []accountLink
	firstIndex := map[string]int{}
	for i, item := range items {
		if item == nil {
			continue
		}
		accountID := reference(item, "accountId", required, id.Account)
		role := text(item, "role", textRule{})
		isPrimary := boolean(item, "isPrimary", notNull)
		influence := enum(item, "influence", optional, influences)
		item.reportUnknown()
		if !accountID.Set {
			continue
		}
		if first, seen := firstIndex[accountID.V]; seen {
			item.fail("accountId", "links account %s again, which accounts[%d] already links", accountID.V, first)
			continue
		}
		firstIndex[accountID.V] = i

		input := ent.CreateAccountContactInput{AccountID: accountID.V}
		setOptional(&input.Role, role)
		setOptional(&input.IsPrimary, isPrimary)
		setOptional(&input.Influence, influence)
		links = append(links, accountLink{path: item.path, input: input})
	}
	return links
}
