package webhook

import (
	"context"
	"fmt"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/contact"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/render"
)

// resourceKind is the entity type an event is about, named as in the event
// names ("account" in account.created).
type resourceKind string

const (
	kindAccount    resourceKind = "account"
	kindContact    resourceKind = "contact"
	kindDeal       resourceKind = "deal"
	kindDevice     resourceKind = "device"
	kindTouchpoint resourceKind = "touchpoint"
	kindTask       resourceKind = "task"
)

func (k resourceKind) created() string { return string(k) + ".created" }
func (k resourceKind) updated() string { return string(k) + ".updated" }

// resourceKey names one record.
type resourceKey struct {
	kind resourceKind
	id   string
}

// renderResources loads the records the events are about, with one query per
// entity type, and renders each with the renderer GET uses. A record that no
// longer exists is absent from the result.
func renderResources(ctx context.Context, client *ent.Client, events []pendingEvent) (map[resourceKey]any, error) {
	idsByKind := make(map[resourceKind][]string)
	for _, event := range events {
		if !event.hardDeleted {
			idsByKind[event.kind] = append(idsByKind[event.kind], event.resourceID)
		}
	}

	rendered := make(map[resourceKey]any)
	for kind, ids := range idsByKind {
		if err := renderKind(ctx, client, kind, ids, rendered); err != nil {
			return nil, fmt.Errorf("rendering the %ss of webhook events: %w", kind, err)
		}
	}
	return rendered, nil
}

func renderKind(ctx context.Context, client *ent.Client, kind resourceKind, ids []string, into map[resourceKey]any) error {
	switch kind {
	case kindAccount:
		rows, err := client.Account.Query().Where(account.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			into[resourceKey{kind, row.ID}] = render.Account(row)
		}
	case kindContact:
		rows, err := client.Contact.Query().Where(contact.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		links, err := accountLinks(ctx, client, ids)
		if err != nil {
			return err
		}
		for _, row := range rows {
			into[resourceKey{kind, row.ID}] = render.Contact(row, links[row.ID])
		}
	case kindDeal:
		rows, err := client.Deal.Query().Where(deal.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			into[resourceKey{kind, row.ID}] = render.Deal(row)
		}
	case kindDevice:
		rows, err := client.Device.Query().Where(device.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			into[resourceKey{kind, row.ID}] = render.Device(row)
		}
	case kindTouchpoint:
		rows, err := client.Touchpoint.Query().Where(touchpoint.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			into[resourceKey{kind, row.ID}] = render.Touchpoint(row)
		}
	case kindTask:
		rows, err := client.Task.Query().Where(task.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			into[resourceKey{kind, row.ID}] = render.Task(row)
		}
	default:
		return fmt.Errorf("no renderer for %q", kind)
	}
	return nil
}

// accountLinks loads the account relationships of contacts, in the order GET
// /contacts/{id} lists them.
func accountLinks(ctx context.Context, client *ent.Client, contactIDs []string) (map[string][]*ent.AccountContact, error) {
	links, err := client.AccountContact.Query().
		Where(accountcontact.ContactIDIn(contactIDs...)).
		Order(ent.Asc(accountcontact.FieldCreatedAt), ent.Asc(accountcontact.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the contacts' account links: %w", err)
	}
	byContact := make(map[string][]*ent.AccountContact, len(contactIDs))
	for _, link := range links {
		byContact[link.ContactID] = append(byContact[link.ContactID], link)
	}
	return byContact, nil
}
