package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/webhook"
)

// GET /events is the catch-up feed of webhook events. It lists the events of
// the caller's org from the last eventRetention, oldest first, each exactly
// the JSON body that webhooks deliver. Events of test-mode keys are included,
// because they are recorded even though they are never delivered.

// eventRetention is how far back the feed reaches.
const eventRetention = webhook.EventRetention

// eventReadScopes gives the scope that reads the events of each resource,
// named as in the event names (account in account.created), in the order
// the 403 message lists them. Events of other resources are never listed.
var eventReadScopes = []struct {
	resource string
	scope    auth.Scope
}{
	{"account", auth.AccountsRead},
	{"contact", auth.ContactsRead},
	{"deal", auth.DealsRead},
	{"device", auth.DevicesRead},
	{"touchpoint", auth.TouchpointsRead},
	{"task", auth.TasksRead},
}

// eventScopes returns the scopes any one of which opens the feed; the feed
// then shows only the event types each of the key's scopes may read.
func eventScopes() []auth.Scope {
	scopes := make([]auth.Scope, len(eventReadScopes))
	for i, entry := range eventReadScopes {
		scopes[i] = entry.scope
	}
	return scopes
}

// eventIDPattern is the form of an event ID: evt_<unix seconds>_<8 hex>.
var eventIDPattern = regexp.MustCompile(`^evt_[0-9]{1,19}_[0-9a-f]{8}$`)

// eventQuery is the parsed query string of GET /events.
type eventQuery struct {
	limit  int
	cursor string
	// types is the type filter, or nil for every type.
	types []string
	since *time.Time
}

func (a *api) listEvents(req *request) (result, error) {
	principal := auth.FromContext(req.ctx())
	if principal == nil || principal.OrgID == "" {
		return result{}, fmt.Errorf("listing events: the request has no principal of an org")
	}
	readable := readableEventResources(principal)
	if len(readable) == 0 {
		return result{}, &apierr.Error{
			Code:    apierr.InsufficientScope,
			Message: fmt.Sprintf("this API key may read no event types; create a key with one of %s", eventScopeNames()),
			Scope:   string(eventReadScopes[0].scope),
		}
	}
	query, err := parseEventQuery(req.URL.Query())
	if err != nil {
		return result{}, err
	}

	from := time.Now().UTC().Add(-eventRetention).Truncate(time.Millisecond)
	if query.since != nil && query.since.After(from) {
		from = *query.since
	}
	where := []predicate.Event{event.CreatedAtGTE(from), eventTypeFilter(readable, query.types)}

	// Event's privacy policy lets only admin:read keys query events, so the
	// feed reads as the system inside the caller's org and applies the
	// per-resource scopes itself. Every query, including the lookup of the
	// cursor row, also names the org explicitly.
	//
	// NOTE: events are stamped with the time of their write, before its
	// transaction commits. An event whose transaction commits after a reader
	// has paged past its timestamp is not listed to that reader's cursor.
	orgID := principal.OrgID
	ctx := auth.SystemContext(req.ctx(), orgID)
	client := a.client(req)
	newQuery := func() *ent.EventQuery { return client.Event.Query().Where(event.OrgID(orgID)) }
	page, err := pagination.Paginate[*ent.EventQuery, *ent.Event, predicate.Event, event.OrderOption](ctx, newQuery, where, pagination.Page{
		Limit:  query.limit,
		Cursor: query.cursor,
		Sort:   []pagination.Term{{Field: createdAtField}},
	})
	if err != nil {
		return result{}, err
	}

	payloads := make([]json.RawMessage, len(page.Items))
	for i, stored := range page.Items {
		if stored.OrgID != orgID {
			return result{}, fmt.Errorf("listing events: event %s of org %s was read for org %s", stored.ID, stored.OrgID, orgID)
		}
		if !json.Valid(stored.Payload) {
			return result{}, fmt.Errorf("listing events: the stored payload of event %s is not valid JSON", stored.ID)
		}
		payloads[i] = json.RawMessage(stored.Payload)
	}
	return result{status: http.StatusOK, data: payloads, list: true, hasMore: page.HasMore, nextCursor: page.NextCursor}, nil
}

// readableEventResources returns the event resources whose read scope the
// principal has.
func readableEventResources(principal *auth.Principal) []string {
	var readable []string
	for _, entry := range eventReadScopes {
		if principal.Grants(entry.scope) {
			readable = append(readable, entry.resource)
		}
	}
	return readable
}

func eventScopeNames() string {
	names := make([]string, len(eventReadScopes))
	for i, entry := range eventReadScopes {
		names[i] = string(entry.scope)
	}
	return strings.Join(names, ", ")
}

// eventResource returns the resource of an event name: account for
// account.created.
func eventResource(name string) string {
	resource, _, _ := strings.Cut(name, ".")
	return resource
}

// eventTypeFilter keeps the events of the readable resources and, when the
// request names types, of those types only. Named types that the key may not
// read are dropped without an error.
func eventTypeFilter(readable, types []string) predicate.Event {
	if types == nil {
		prefixes := make([]predicate.Event, len(readable))
		for i, resource := range readable {
			prefixes[i] = event.TypeHasPrefix(resource + ".")
		}
		return event.Or(prefixes...)
	}

	var allowed []string
	for _, name := range types {
		if slices.Contains(readable, eventResource(name)) {
			allowed = append(allowed, name)
		}
	}
	if len(allowed) == 0 {
		return func(s *sql.Selector) { s.Where(sql.False()) }
	}
	return event.TypeIn(allowed...)
}

// parseEventQuery reads limit, cursor, type and since, collecting every
// problem. limit works as on every list. cursor is the nextCursor of the
// previous page, an event ID. type is a comma-separated list of event names,
// and may be repeated. since is an RFC 3339 time, inclusive; a + of its
// offset that arrived decoded as a space is read as +.
func parseEventQuery(values url.Values) (eventQuery, error) {
	query := eventQuery{limit: pagination.DefaultLimit}
	var details []apierr.Detail
	fail := func(name, message string) {
		details = append(details, apierr.Detail{Path: []any{name}, Message: message})
	}

	if raw := values.Get("limit"); raw != "" {
		limit, err := strconv.Atoi(strings.TrimSpace(raw))
		switch {
		case err != nil || limit < 1:
			fail("limit", "must be a whole number from 1 to 100, got "+strconv.Quote(raw))
		case limit > pagination.MaxLimit:
			query.limit = pagination.MaxLimit
		default:
			query.limit = limit
		}
	}

	if raw := values.Get("cursor"); raw != "" {
		if eventIDPattern.MatchString(raw) {
			query.cursor = raw
		} else {
			fail("cursor", "is malformed; pass the nextCursor of the previous page, an event ID such as evt_1762470120_a1b2c3d4, got "+strconv.Quote(raw))
		}
	}

	if raw, present := values["type"]; present {
		query.types = []string{}
		for _, name := range strings.Split(strings.Join(raw, ","), ",") {
			name = strings.TrimSpace(name)
			switch {
			case name == "" || slices.Contains(query.types, name):
			case !webhook.KnownEvent(name):
				fail("type", fmt.Sprintf("%q is not an event name; use some of %s", name, strings.Join(webhook.Events, ", ")))
			default:
				query.types = append(query.types, name)
			}
		}
		if len(query.types) == 0 && len(details) == 0 {
			fail("type", "names no event; pass event names separated by commas, such as deal.closed_won,deal.closed_lost")
		}
	}

	if raw := values.Get("since"); raw != "" {
		repaired := strings.ReplaceAll(strings.TrimSpace(raw), " ", "+")
		since, err := time.Parse(time.RFC3339Nano, repaired)
		if err != nil {
			fail("since", "must be an RFC 3339 time such as 2026-05-01T00:00:00Z, got "+strconv.Quote(raw))
		} else {
			utc := since.UTC()
			query.since = &utc
		}
	}

	if len(details) > 0 {
		return query, apierr.Validation(details...)
	}
	return query, nil
}
