// Package lead converts qualified leads into the book of business: a PROSPECT
// account with the lead's primary contact.
package lead

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/contact"
	entlead "github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/rules"
)

// Conversion is the result of converting a lead.
type Conversion struct {
	Lead    *ent.Lead
	Account *ent.Account
	// Contact is nil when the lead has neither a contact name nor an email,
	// and on a repeated conversion when the contact named by the lead's
	// ConvertedContactID no longer exists in the org.
	Contact *ent.Contact
}

// Convert turns the lead into a PROSPECT account named after its company,
// with its industry and employee count, and a contact linked to that account
// as its primary contact. It then marks the lead CONVERTED with
// convertedAccountId and convertedContactId. Everything runs in one
// transaction (the context's when it carries one) with the caller's
// permissions, so the caller needs leads:write, accounts:write and
// contacts:write.
//
// The contact's first name is the first word of contactName, and its last
// name is the rest. Without a contactName the first name is the email's local
// part, and a lead with neither gets no contact and no convertedContactId.
// When a contact of the org already has the lead's email, that contact is
// linked instead of creating a second one.
//
// Converting a CONVERTED lead again creates nothing. It returns the lead's
// account and the contact that convertedContactId names, or no contact when
// the org no longer has that contact. A lead converted before leads had
// convertedContactId has it unset, so Convert returns its account's primary
// contact (or its first linked contact) instead. A DISQUALIFIED lead cannot
// be converted (validation_error).
func Convert(ctx context.Context, client *ent.Client, leadID string) (*ent.Account, *ent.Contact, *ent.Lead, error) {
	var converted Conversion
	err := database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		prospect, err := lockLead(ctx, tx, leadID)
		if err != nil {
			return err
		}

		switch prospect.Status {
		case entlead.StatusDISQUALIFIED:
			return apierr.Invalid("status", "is DISQUALIFIED; a disqualified lead cannot be converted, so change its status first")
		case entlead.StatusCONVERTED:
			converted, err = existingConversion(ctx, tx, prospect)
			return err
		}

		converted, err = convert(ctx, tx, prospect)
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return converted.Account, converted.Contact, converted.Lead, nil
}

// ConvertLead is Convert returning a Conversion.
func ConvertLead(ctx context.Context, client *ent.Client, leadID string) (*Conversion, error) {
	account, contact, converted, err := Convert(ctx, client, leadID)
	if err != nil {
		return nil, err
	}
	return &Conversion{Lead: converted, Account: account, Contact: contact}, nil
}

// lockLead loads the lead and, on PostgreSQL, locks its row until the
// transaction ends, so two concurrent conversions of one lead run one after
// the other and the second finds it CONVERTED.
func lockLead(ctx context.Context, client *ent.Client, leadID string) (*ent.Lead, error) {
	_, err := client.Lead.Query().
		Where(entlead.ID(leadID)).
		Select(entlead.FieldID).
		Modify(lockRow).
		String(ctx)
	if err == nil {
		var loaded *ent.Lead
		loaded, err = client.Lead.Get(ctx, leadID)
		if err == nil {
			return loaded, nil
		}
	}
	if ent.IsNotFound(err) {
		return nil, apierr.NotFoundf("no lead has the ID %q", leadID)
	}
	return nil, fmt.Errorf("loading lead %s: %w", leadID, err)
}

func convert(ctx context.Context, client *ent.Client, prospect *ent.Lead) (Conversion, error) {
	created, err := client.Account.Create().
		SetName(prospect.CompanyName).
		SetLifecycleStatus(account.LifecycleStatusPROSPECT).
		SetNillableIndustry(prospect.Industry).
		SetNillableEmployeeCount(prospect.EmployeeCount).
		Save(ctx)
	if err != nil {
		return Conversion{}, fmt.Errorf("creating the account of lead %s: %w", prospect.ID, err)
	}

	person, err := findOrCreateContact(ctx, client, prospect)
	if err != nil {
		return Conversion{}, err
	}
	if person != nil {
		err := client.AccountContact.Create().
			SetAccountID(created.ID).
			SetContactID(person.ID).
			SetIsPrimary(true).
			Exec(ctx)
		if err != nil {
			return Conversion{}, fmt.Errorf("linking the contact of lead %s to its account: %w", prospect.ID, err)
		}
	}

	update := client.Lead.UpdateOneID(prospect.ID).
		SetStatus(entlead.StatusCONVERTED).
		SetConvertedAccountID(created.ID)
	if person != nil {
		update.SetConvertedContactID(person.ID)
	}
	updated, err := update.Save(ctx)
	if err != nil {
		return Conversion{}, fmt.Errorf("marking lead %s converted: %w", prospect.ID, err)
	}
	return Conversion{Lead: updated, Account: created, Contact: person}, nil
}

// findOrCreateContact returns the org's contact with the lead's email, or a
// new contact made from the lead, or nil when the lead has neither a contact
// name nor an email.
func findOrCreateContact(ctx context.Context, client *ent.Client, prospect *ent.Lead) (*ent.Contact, error) {
	email := ""
	if prospect.Email != nil {
		email = strings.TrimSpace(*prospect.Email)
	}
	name := ""
	if prospect.ContactName != nil {
		name = strings.TrimSpace(*prospect.ContactName)
	}
	if name == "" && email == "" {
		return nil, nil
	}

	if email != "" {
		key, err := rules.NormalizeEmail(email)
		if err != nil {
			return nil, apierr.Invalid("email", "%s; correct the lead's email before converting it", err.Error())
		}
		existing, err := client.Contact.Query().Where(contact.EmailKey(key)).Only(ctx)
		switch {
		case err == nil:
			return existing, nil
		case !ent.IsNotFound(err):
			return nil, fmt.Errorf("looking up the contact with the lead's email: %w", err)
		}
	}

	firstName, lastName := splitName(name)
	if firstName == "" {
		firstName, _, _ = strings.Cut(email, "@")
	}
	create := client.Contact.Create().
		SetFirstName(firstName).
		SetLastName(lastName).
		SetNillablePhone(prospect.Phone)
	if email != "" {
		create.SetEmail(email)
	}
	created, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the contact of lead %s: %w", prospect.ID, err)
	}
	return created, nil
}

// splitName splits a full name at its first run of spaces: "Sarah Jane
// Connor" is "Sarah" and "Jane Connor".
func splitName(name string) (first, last string) {
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return "", ""
	}
	return fields[0], strings.Join(fields[1:], " ")
}

// existingConversion returns the account a CONVERTED lead was converted into
// and the contact of that conversion (see Convert).
func existingConversion(ctx context.Context, client *ent.Client, converted *ent.Lead) (Conversion, error) {
	if converted.ConvertedAccountID == nil {
		return Conversion{}, apierr.Invalid("status", "is CONVERTED but names no account; set another status to convert it again")
	}
	accountID := *converted.ConvertedAccountID
	existing, err := client.Account.Get(ctx, accountID)
	switch {
	case ent.IsNotFound(err):
		return Conversion{}, apierr.Invalid("convertedAccountId", "names account %s, which no longer exists", accountID)
	case err != nil:
		return Conversion{}, fmt.Errorf("loading account %s of lead %s: %w", accountID, converted.ID, err)
	}

	var person *ent.Contact
	if converted.ConvertedContactID != nil {
		person, err = recordedContact(ctx, client, *converted.ConvertedContactID)
	} else {
		// NOTE: a lead converted without a contact also has no
		// ConvertedContactID, so it gets this fallback too and returns any
		// contact linked to its account since the conversion.
		person, err = primaryContact(ctx, client, accountID)
	}
	if err != nil {
		return Conversion{}, err
	}
	return Conversion{Lead: converted, Account: existing, Contact: person}, nil
}

// recordedContact returns the contact with the ID, or nil when the org no
// longer has it.
func recordedContact(ctx context.Context, client *ent.Client, contactID string) (*ent.Contact, error) {
	person, err := client.Contact.Get(ctx, contactID)
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("loading contact %s: %w", contactID, err)
	}
	return person, nil
}

// primaryContact returns the account's primary contact, or its first linked
// contact when none is primary, or nil when it has no contacts.
func primaryContact(ctx context.Context, client *ent.Client, accountID string) (*ent.Contact, error) {
	link, err := client.AccountContact.Query().
		Where(accountcontact.AccountID(accountID)).
		Order(
			ent.Desc(accountcontact.FieldIsPrimary),
			ent.Asc(accountcontact.FieldCreatedAt),
			ent.Asc(accountcontact.FieldID),
		).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("loading the contacts of account %s: %w", accountID, err)
	}
	person, err := client.Contact.Get(ctx, link.ContactID)
	if err != nil {
		return nil, fmt.Errorf("loading contact %s: %w", link.ContactID, err)
	}
	return person, nil
}

// lockRow makes a SELECT lock the rows it reads until the transaction ends,
// on PostgreSQL. SQLite has no row locks; its write transactions already
// exclude each other.
func lockRow(selector *sql.Selector) {
	if selector.Dialect() == dialect.Postgres {
		selector.For(sql.LockNoKeyUpdate)
	}
}
