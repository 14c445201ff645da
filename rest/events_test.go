package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/render"
)

// storedEvents returns the org's stored events by ID.
func (b *testBundle) storedEvents(t *testing.T, orgID string) map[string]*ent.Event {
	t.Helper()
	rows, err := b.client.Event.Query().Where(event.OrgID(orgID)).All(auth.SystemContext(context.Background(), orgID))
	require.NoError(t, err)
	byID := make(map[string]*ent.Event, len(rows))
	for _, row := range rows {
		byID[row.ID] = row
	}
	return byID
}

// insertEvent stores an event directly, as the webhook hooks would, and
// returns its ID.
func (b *testBundle) insertEvent(t *testing.T, orgID, name, resourceID string, at time.Time, test bool) string {
	t.Helper()
	at = at.UTC().Truncate(time.Millisecond)
	eventID := id.NewEventID(at)
	payload, err := json.Marshal(map[string]any{
		"id": eventID, "event": name, "timestamp": render.FormatTime(at), "orgId": orgID,
		"data": map[string]any{"id": resourceID, "name": "inserted directly"},
	})
	require.NoError(t, err)
	_, err = b.client.Event.Create().
		SetID(eventID).SetOrgID(orgID).SetType(name).SetResourceID(resourceID).
		SetPayload(payload).SetTestMode(test).SetCreatedAt(at).
		Save(auth.SystemContext(context.Background(), ""))
	require.NoError(t, err)
	return eventID
}

// walkEvents follows nextCursor from the first page of /events with the
// query and returns every event, checking each page's envelope on the way.
func (b *testBundle) walkEvents(t *testing.T, key, query string, limit int) []map[string]any {
	t.Helper()
	var all []map[string]any
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100, "the cursor walk does not end")
		values, err := url.ParseQuery(query)
		require.NoError(t, err)
		values.Set("limit", fmt.Sprint(limit))
		if cursor != "" {
			values.Set("cursor", cursor)
		}
		res := b.call(t, http.MethodGet, "/events?"+values.Encode(), key, nil).requireStatus(t, http.StatusOK)
		page := res.list(t)
		require.LessOrEqual(t, len(page), limit)
		all = append(all, page...)
		if res.Body["hasMore"] != true {
			require.Nil(t, res.Body["nextCursor"], "the last page has no nextCursor")
			return all
		}
		require.Len(t, page, limit)
		require.Equal(t, page[len(page)-1]["id"], res.Body["nextCursor"], "nextCursor is the ID of the page's last event")
		cursor = res.Body["nextCursor"].(string)
	}
}

// eventNames returns "<event> <data.id>" of each event.
func eventNames(events []map[string]any) []string {
	names := make([]string, len(events))
	for i, item := range events {
		names[i] = fmt.Sprintf("%s %s", item["event"], item["data"].(map[string]any)["id"])
	}
	return names
}

// requireChronological checks that events are ordered by timestamp, then by
// ID.
func requireChronological(t *testing.T, events []map[string]any) {
	t.Helper()
	require.True(t, sort.SliceIsSorted(events, func(i, j int) bool {
		ti, tj := events[i]["timestamp"].(string), events[j]["timestamp"].(string)
		if ti != tj {
			return ti < tj
		}
		return events[i]["id"].(string) < events[j]["id"].(string)
	}), "events are not oldest first: %v", eventNames(events))
}

// pause separates writes by more than the millisecond precision of event
// timestamps, so their events have a known order.
func pause() { time.Sleep(5 * time.Millisecond) }

func TestEventsFeedOfAPIWrites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Feed")
	writer := b.key(t, orgID, auth.AccountsWrite, auth.DevicesWrite, auth.DealsWrite)

	acme := b.call(t, http.MethodPost, "/accounts", writer, map[string]any{"name": "Acme"}).requireStatus(t, http.StatusCreated).data(t)
	acmeID := acme["id"].(string)
	pause()
	updated := b.call(t, http.MethodPatch, "/accounts/"+acmeID, writer, map[string]any{"industry": "Legal"}).requireStatus(t, http.StatusOK).data(t)
	pause()
	res := b.call(t, http.MethodPost, "/devices/bulk", writer, map[string]any{"devices": []map[string]any{
		{"rmmAgentId": "ninja-1", "accountId": acmeID, "hostname": "WS-1", "isOnline": true},
	}}).requireStatus(t, http.StatusOK)
	deviceID := bulkResults(t, res)[0]["id"].(string)
	pause()
	b.call(t, http.MethodPost, "/devices/bulk", writer, map[string]any{"devices": []map[string]any{
		{"rmmAgentId": "ninja-1", "isOnline": false},
	}}).requireStatus(t, http.StatusOK)
	pause()
	dealID := b.call(t, http.MethodPost, "/deals", writer, map[string]any{"name": "Managed IT", "accountId": acmeID}).
		requireStatus(t, http.StatusCreated).data(t)["id"].(string)

	events := b.walkEvents(t, writer, "", 100)
	require.Equal(t, "account.created "+acmeID, eventNames(events)[0])
	require.Equal(t, "account.updated "+acmeID, eventNames(events)[1])
	require.Equal(t, "device.created "+deviceID, eventNames(events)[2])
	require.Subset(t, eventNames(events[3:len(events)-1]), []string{"device.updated " + deviceID, "device.offline " + deviceID})
	require.Equal(t, "deal.created "+dealID, eventNames(events)[len(events)-1])
	requireChronological(t, events)

	require.Equal(t, acme, events[0]["data"], "account.created carries what POST returned")
	require.Equal(t, updated, events[1]["data"], "account.updated carries what PATCH returned")

	stored := b.storedEvents(t, orgID)
	require.Len(t, events, len(stored))
	for _, item := range events {
		row, found := stored[item["id"].(string)]
		require.True(t, found, "event %s is not stored", item["id"])
		encoded, err := json.Marshal(item)
		require.NoError(t, err)
		require.JSONEq(t, string(row.Payload), string(encoded), "the feed returns the delivered body of %s", row.ID)
		require.Equal(t, orgID, item["orgId"])
	}

	for _, limit := range []int{1, 2, 3} {
		require.Equal(t, events, b.walkEvents(t, writer, "", limit), "the walk with limit %d", limit)
	}
}

func TestEventsFilteredByScope(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Scoped feed")
	writer := b.key(t, orgID, auth.AccountsWrite, auth.ContactsWrite, auth.DevicesWrite, auth.DealsWrite, auth.TouchpointsWrite, auth.TasksWrite)

	accountID := b.createAccount(t, writer, map[string]any{"name": "Acme"})
	pause()
	b.call(t, http.MethodPost, "/contacts", writer, map[string]any{"firstName": "Sam", "accountId": accountID}).requireStatus(t, http.StatusCreated)
	pause()
	b.call(t, http.MethodPost, "/devices", writer, map[string]any{"accountId": accountID, "hostname": "WS-1"}).requireStatus(t, http.StatusCreated)
	pause()
	b.call(t, http.MethodPost, "/deals", writer, map[string]any{"name": "Deal", "accountId": accountID}).requireStatus(t, http.StatusCreated)
	pause()
	b.call(t, http.MethodPost, "/touchpoints", writer, map[string]any{"accountId": accountID, "type": "EMAIL", "direction": "OUTBOUND", "subject": "Hi"}).
		requireStatus(t, http.StatusCreated)
	// No hook records lead events; an event of a resource without a read
	// scope in the feed must never be listed.
	b.insertEvent(t, orgID, "lead.created", "lead_01JD0000000000000000000000", time.Now(), false)

	// resources returns the distinct resources of the events the key lists,
	// sorted. Writes may fire more events than the created ones (a touchpoint
	// can update its account), so the check is by resource.
	resources := func(key string) []string {
		var names []string
		for _, item := range b.walkEvents(t, key, "", 100) {
			resource, _, _ := strings.Cut(item["event"].(string), ".")
			if !slices.Contains(names, resource) {
				names = append(names, resource)
			}
		}
		slices.Sort(names)
		return names
	}

	require.Equal(t, []string{"account", "contact", "deal", "device", "touchpoint"}, resources(b.key(t, orgID, auth.AdminRead)))
	require.Equal(t, []string{"account"}, resources(b.key(t, orgID, auth.AccountsRead)))
	require.Equal(t, []string{"account", "device"}, resources(b.key(t, orgID, auth.AccountsRead, auth.DevicesWrite)))
	require.Equal(t, []string{"account", "deal", "touchpoint"},
		resources(b.key(t, orgID, auth.AccountsWrite, auth.DealsRead, auth.TouchpointsRead, auth.NotesRead)))

	res := b.call(t, http.MethodGet, "/events", b.key(t, orgID, auth.NotesRead, auth.MRRRead, auth.HealthWrite), nil)
	res.requireError(t, http.StatusForbidden, "insufficient_scope")
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "accounts:read")

	// A type that the key may not read is dropped without an error.
	res = b.call(t, http.MethodGet, "/events?type=device.created", b.key(t, orgID, auth.AccountsRead), nil).requireStatus(t, http.StatusOK)
	require.Empty(t, res.list(t))
}

func TestEventsWithoutAccountsRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Contacts feed")
	writer := b.key(t, orgID, auth.AccountsWrite, auth.ContactsWrite)
	b.call(t, http.MethodPost, "/contacts", writer, map[string]any{"firstName": "Sam"}).requireStatus(t, http.StatusCreated)
	b.createAccount(t, writer, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodGet, "/events", b.key(t, orgID, auth.ContactsRead), nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{"contact.created"}, func() []string {
		var names []string
		for _, item := range res.list(t) {
			names = append(names, item["event"].(string))
		}
		return names
	}())
}

func TestEventsTypeSinceAndParameters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Filters")
	writer := b.key(t, orgID, auth.AccountsWrite, auth.DevicesWrite)

	accountID := b.createAccount(t, writer, map[string]any{"name": "Acme"})
	pause()
	b.call(t, http.MethodPost, "/devices", writer, map[string]any{"accountId": accountID, "hostname": "WS-1"}).requireStatus(t, http.StatusCreated)
	pause()
	b.call(t, http.MethodPatch, "/accounts/"+accountID, writer, map[string]any{"industry": "Legal"}).requireStatus(t, http.StatusOK)

	all := b.walkEvents(t, writer, "", 100)
	require.Equal(t, []string{"account.created", "device.created", "account.updated"}, func() []string {
		names := make([]string, len(all))
		for i, item := range all {
			names[i] = item["event"].(string)
		}
		return names
	}())

	filtered := b.walkEvents(t, writer, "type=account.created,account.updated", 1)
	require.Equal(t, []any{all[0]["id"], all[2]["id"]}, []any{filtered[0]["id"], filtered[1]["id"]})
	require.Len(t, filtered, 2)
	repeated := b.walkEvents(t, writer, "type=account.updated&type=device.created", 100)
	require.Equal(t, []map[string]any{all[1], all[2]}, repeated, "repeated type parameters add up")

	since := b.walkEvents(t, writer, "since="+url.QueryEscape(all[1]["timestamp"].(string)), 100)
	require.Equal(t, all[1:], since, "since is inclusive")
	offset := b.walkEvents(t, writer, "since=2000-01-01T00:00:00 00:00", 100)
	require.Equal(t, all, offset, "a + decoded as a space is read as +")
	require.Empty(t, b.walkEvents(t, writer, "since="+url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339)), 100))

	problems := []struct {
		query string
		path  string
	}{
		{"type=account.craeted", "type"},
		{"type=,", "type"},
		{"since=yesterday", "since"},
		{"limit=0", "limit"},
		{"limit=ten", "limit"},
		{"cursor=acc_01JD0000000000000000000000", "cursor"},
		{"cursor=evt_1762470120_00000000", "cursor"},
	}
	for _, problem := range problems {
		b.call(t, http.MethodGet, "/events?"+problem.query, writer, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", problem.path)
	}

	res := b.call(t, http.MethodGet, "/events?limit=500", writer, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 3, "a limit above 100 is clamped, not rejected")
}

func TestEventsNeverShowAnotherOrg(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Own")
	foreignOrgID := b.org(t, "Foreign")
	own := b.key(t, orgID, auth.AccountsWrite, auth.AdminRead)
	foreign := b.key(t, foreignOrgID, auth.AccountsWrite, auth.AdminRead)

	b.createAccount(t, foreign, map[string]any{"name": "Foreign through the API"})
	foreignEvent := b.insertEvent(t, foreignOrgID, "account.created", "acc_01JD0000000000000000000001", time.Now(), false)
	ownAccountID := b.createAccount(t, own, map[string]any{"name": "Own"})
	expired := b.insertEvent(t, orgID, "account.updated", ownAccountID, time.Now().Add(-31*24*time.Hour), false)

	testKey, err := admin.CreateKey(context.Background(), b.client, admin.KeyParams{OrgID: orgID, Name: "test", Scopes: []string{"accounts:write"}, Test: true})
	require.NoError(t, err)
	testAccountID := b.createAccount(t, testKey.Raw, map[string]any{"name": "Made by a test key"})

	events := b.walkEvents(t, own, "", 1)
	// Two creates in one millisecond may list in either order.
	require.ElementsMatch(t, []string{"account.created " + ownAccountID, "account.created " + testAccountID}, eventNames(events),
		"test-mode events are listed and expired ones are not")
	for _, item := range events {
		require.Equal(t, orgID, item["orgId"])
		require.NotEqual(t, foreignEvent, item["id"])
		require.NotEqual(t, expired, item["id"])
	}
	stored := b.storedEvents(t, orgID)
	for _, item := range events {
		madeByTestKey := item["data"].(map[string]any)["id"] == testAccountID
		require.Equal(t, madeByTestKey, stored[item["id"].(string)].TestMode, "event %s", item["id"])
	}

	b.call(t, http.MethodGet, "/events?cursor="+foreignEvent, own, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "cursor")

	// An expired event still marks a place in the feed.
	res := b.call(t, http.MethodGet, "/events?cursor="+expired, own, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, eventNames(events), eventNames(res.list(t)))

	foreignEvents := b.walkEvents(t, foreign, "", 100)
	require.Len(t, foreignEvents, 2)
	for _, item := range foreignEvents {
		require.Equal(t, foreignOrgID, item["orgId"])
	}
}
