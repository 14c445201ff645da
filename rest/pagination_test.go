package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/auth"
)

// seedAccounts creates accounts directly, count of them, named with prefix.
func (b *testBundle) seedAccounts(t *testing.T, orgID, prefix string, count int) {
	t.Helper()
	ctx := auth.SystemContext(context.Background(), orgID)
	builders := make([]*ent.AccountCreate, count)
	for i := range builders {
		builders[i] = b.client.Account.Create().SetName(fmt.Sprintf("%s %03d", prefix, i))
	}
	require.NoError(t, b.client.Account.CreateBulk(builders...).Exec(ctx))
}

func TestListLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Limits")
	key := b.key(t, orgID, auth.AccountsRead)
	b.seedAccounts(t, orgID, "Account", 120)

	res := b.call(t, http.MethodGet, "/accounts", key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 50, "the default page size is 50")
	require.Equal(t, true, res.Body["hasMore"])

	res = b.call(t, http.MethodGet, "/accounts?limit=1000", key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 100, "a limit above 100 is clamped to 100")

	res = b.call(t, http.MethodGet, "/accounts?limit=7", key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 7)

	for _, bad := range []string{"0", "-1", "abc", "1.5", "%20"} {
		b.call(t, http.MethodGet, "/accounts?limit="+bad, key, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "limit")
	}
}

func TestListCursorValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgA := b.org(t, "A")
	orgB := b.org(t, "B")
	keyA := b.key(t, orgA, auth.AccountsWrite, auth.DevicesRead)
	keyB := b.key(t, orgB, auth.AccountsWrite)
	accountA := b.createAccount(t, keyA, map[string]any{"name": "Acme"})
	b.createAccount(t, keyB, map[string]any{"name": "Beta"})

	b.call(t, http.MethodGet, "/accounts?cursor="+accountA, keyA, nil).requireStatus(t, http.StatusOK)

	cases := map[string]string{
		"malformed":          "not a cursor!",
		"unknown":            "acc_01JD0000000000000000000000",
		"another org's":      accountA,
		"another type's":     "dev_01JD0000000000000000000000",
		"over 64 characters": "acc_0123456789012345678901234567890123456789012345678901234567890123",
	}
	for name, cursor := range cases {
		res := b.call(t, http.MethodGet, "/accounts?cursor="+url.QueryEscape(cursor), keyB, nil)
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s cursor: %s", name, res.Raw)
		res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "cursor")
	}

	// An account ID is no cursor of the device list.
	b.call(t, http.MethodGet, "/devices?cursor="+accountA, keyA, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "cursor")
}

func TestListUpdatedAfter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Sync"), auth.AccountsWrite)

	first := b.createAccount(t, key, map[string]any{"name": "First"})
	second := b.createAccount(t, key, map[string]any{"name": "Second"})
	res := b.call(t, http.MethodGet, "/accounts/"+second, key, nil).requireStatus(t, http.StatusOK)
	secondUpdatedAt := res.data(t)["updatedAt"].(string)
	waitPastMillisecond(t, secondUpdatedAt)
	res = b.call(t, http.MethodPatch, "/accounts/"+first, key, map[string]any{"industry": "Legal"}).requireStatus(t, http.StatusOK)
	firstUpdatedAt := res.data(t)["updatedAt"].(string)
	require.Less(t, secondUpdatedAt, firstUpdatedAt, "the update must come after the second create")

	// updatedAfter is exclusive and sorts by updatedAt ascending by default.
	res = b.call(t, http.MethodGet, "/accounts?updatedAfter="+url.QueryEscape(secondUpdatedAt), key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{first}, ids(res.list(t)))

	res = b.call(t, http.MethodGet, "/accounts?updatedAfter=2000-01-01T00:00:00Z", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{second, first}, ids(res.list(t)), "with updatedAfter the default sort is updatedAt:asc")

	// A + sent unencoded arrives as a space and is read as +.
	res = b.call(t, http.MethodGet, "/accounts?updatedAfter=2000-01-01T02:00:00+02:00", key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 2)
	future := time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05") + "+00:00"
	res = b.call(t, http.MethodGet, "/accounts?updatedAfter="+future, key, nil).requireStatus(t, http.StatusOK)
	require.Empty(t, res.list(t))

	for _, bad := range []string{"yesterday", "2026-05-01", "2026-05-01T00:00:00", "2026-13-01T00:00:00Z"} {
		b.call(t, http.MethodGet, "/accounts?updatedAfter="+url.QueryEscape(bad), key, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "updatedAfter")
	}
}

func TestListSort(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Sort"), auth.AccountsWrite)
	older := b.createAccount(t, key, map[string]any{"name": "Bravo"})
	newer := b.createAccount(t, key, map[string]any{"name": "Alpha"})

	res := b.call(t, http.MethodGet, "/accounts", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{newer, older}, ids(res.list(t)), "the default sort is createdAt:desc")

	res = b.call(t, http.MethodGet, "/accounts?sort=name", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{newer, older}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/accounts?sort=name:desc", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{older, newer}, ids(res.list(t)))

	res = b.call(t, http.MethodGet, "/accounts?sort=bogus:desc,createdAt:asc", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{older, newer}, ids(res.list(t)), "unknown fields are ignored")
	res = b.call(t, http.MethodGet, "/accounts?sort=bogus", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{newer, older}, ids(res.list(t)), "only unknown fields means the default sort")

	b.call(t, http.MethodGet, "/accounts?sort=name:sideways", key, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "sort")
}

// TestCursorWalkNullableSort walks accounts sorted by the nullable
// employeeCount, three per page, while accounts are inserted and updated
// between pages. Every account that was not moved must be seen exactly once,
// and the pages must follow the sort with NULL last ascending and first
// descending.
func TestCursorWalkNullableSort(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Walk"), auth.AccountsWrite)

	counts := []any{nil, 5, 5, nil, 10, 3, nil, 5, 8, nil, 1, 10, nil}
	var original []string
	for i, count := range counts {
		original = append(original, b.createAccount(t, key, map[string]any{"name": fmt.Sprintf("Original %02d", i), "employeeCount": count}))
	}

	for _, direction := range []string{"asc", "desc"} {
		t.Run(direction, func(t *testing.T) {
			var seen []map[string]any
			cursor := ""
			for page := 0; ; page++ {
				require.Less(t, page, 30, "the walk does not end")
				path := "/accounts?limit=3&sort=employeeCount:" + direction
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				res := b.call(t, http.MethodGet, path, key, nil).requireStatus(t, http.StatusOK)
				items := res.list(t)
				seen = append(seen, items...)
				if res.Body["hasMore"] != true {
					require.Nil(t, res.Body["nextCursor"])
					break
				}
				require.Len(t, items, 3)
				cursor = res.Body["nextCursor"].(string)
				require.Equal(t, items[len(items)-1]["id"], cursor, "nextCursor is the last item's ID")

				// Rows inserted anywhere in the order, and updates of
				// fields outside the sort, must not disturb the walk.
				b.createAccount(t, key, map[string]any{"name": fmt.Sprintf("Inserted %s %d null", direction, page)})
				b.createAccount(t, key, map[string]any{"name": fmt.Sprintf("Inserted %s %d", direction, page), "employeeCount": page % 12})
				target := original[(page*5)%len(original)]
				b.call(t, http.MethodPatch, "/accounts/"+target, key, map[string]any{"industry": fmt.Sprintf("Industry %d", page)}).
					requireStatus(t, http.StatusOK)
			}

			seenIDs := ids(seen)
			for _, accountID := range original {
				require.Equal(t, 1, count(seenIDs, accountID), "account %s must be seen exactly once", accountID)
			}
			for i, accountID := range seenIDs {
				require.Equal(t, i, slices.Index(seenIDs, accountID), "account %s was seen twice", accountID)
			}
			for i := 1; i < len(seen); i++ {
				require.True(t, inOrder(seen[i-1], seen[i], direction == "desc"),
					"%v then %v breaks employeeCount:%s", seen[i-1], seen[i], direction)
			}
		})
	}
}

// inOrder reports whether a sorts before b by employeeCount (NULL last
// ascending, first descending) and then by ID in the same direction.
func inOrder(a, b map[string]any, desc bool) bool {
	rank := func(record map[string]any) float64 {
		if record["employeeCount"] == nil {
			return 1e18
		}
		return record["employeeCount"].(float64)
	}
	left, right := rank(a), rank(b)
	if desc {
		left, right = right, left
	}
	if left != right {
		return left < right
	}
	if desc {
		return a["id"].(string) > b["id"].(string)
	}
	return a["id"].(string) < b["id"].(string)
}

func TestCursorWalkDefaultSort(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Newest"), auth.AccountsWrite)
	var original []string
	for i := range 7 {
		original = append(original, b.createAccount(t, key, map[string]any{"name": fmt.Sprintf("Account %d", i)}))
	}

	var seen []string
	res := b.call(t, http.MethodGet, "/accounts?limit=2", key, nil).requireStatus(t, http.StatusOK)
	for {
		seen = append(seen, ids(res.list(t))...)
		if res.Body["hasMore"] != true {
			break
		}
		b.createAccount(t, key, map[string]any{"name": "Inserted while paging"})
		res = b.call(t, http.MethodGet, "/accounts?limit=2&cursor="+res.Body["nextCursor"].(string), key, nil).requireStatus(t, http.StatusOK)
	}
	slices.Reverse(original)
	require.Equal(t, original, seen, "newest first, and rows created while paging come before the cursor")
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Filters"), auth.AccountsWrite)
	active := b.createAccount(t, key, map[string]any{"name": "Active", "lifecycleStatus": "ACTIVE", "industry": "Healthcare"})
	b.createAccount(t, key, map[string]any{"name": "Prospect", "industry": "Legal"})

	res := b.call(t, http.MethodGet, "/accounts?lifecycleStatus=ACTIVE", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{active}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/accounts?industry=healthcare", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{active}, ids(res.list(t)), "industry matches regardless of case")

	res = b.call(t, http.MethodGet, "/accounts?lifecycleStatus=active", key, nil)
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "lifecycleStatus")
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "PROSPECT, ASSESSMENT, ONBOARDING, ACTIVE, AT_RISK, CHURNED")
}

// waitPastMillisecond returns once the clock has left the millisecond of the
// stored timestamp, so the next write gets a later timestamp.
func waitPastMillisecond(t *testing.T, stored string) {
	t.Helper()
	instant, err := time.Parse(time.RFC3339Nano, stored)
	require.NoError(t, err)
	for !time.Now().Truncate(time.Millisecond).After(instant) {
		time.Sleep(100 * time.Microsecond)
	}
}

func ids(records []map[string]any) []string {
	result := make([]string, len(records))
	for i, record := range records {
		result[i] = record["id"].(string)
	}
	return result
}

func count(values []string, value string) int {
	n := 0
	for _, v := range values {
		if v == value {
			n++
		}
	}
	return n
}

func TestUnknownQueryParameterIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Query"), auth.AccountsWrite, auth.AccountsRead, auth.DevicesRead)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	// A misspelt filter would otherwise list every device of the org.
	res := b.call(t, http.MethodGet, "/devices?accountID="+acme, key, nil)
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "accountID")
	require.Contains(t, string(res.Raw), "accountId, isOnline", "the message lists the parameters the list takes")

	res = b.call(t, http.MethodGet, "/accounts?lifecycle=ACTIVE&page=2", key, nil)
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "lifecycle", "page")

	b.call(t, http.MethodGet, "/accounts/"+acme+"?expand=contacts", key, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "expand")
	b.call(t, http.MethodPost, "/accounts?dryRun=true", key, map[string]any{"name": "Globex"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "dryRun")
	count := len(b.call(t, http.MethodGet, "/accounts", key, nil).requireStatus(t, http.StatusOK).list(t))
	require.Equal(t, 1, count, "the rejected create wrote nothing")

	// Every documented parameter is still taken.
	b.call(t, http.MethodGet, "/devices?accountId="+acme+"&isOnline=true&limit=5&sort=hostname:asc&updatedAfter=2026-01-01T00:00:00Z", key, nil).
		requireStatus(t, http.StatusOK)
	b.call(t, http.MethodDelete, "/accounts/"+acme+"?force=true", key, nil).requireStatus(t, http.StatusOK)
}

func TestMalformedQueryStringIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Malformed"), auth.AccountsWrite, auth.TouchpointsRead)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	// Go's URL.Query drops these pairs, which would list every touchpoint.
	for _, query := range []string{"accountId=" + acme + ";type=CALL", "accountID;=" + acme, "accountId=" + acme + "%zz"} {
		b.call(t, http.MethodGet, "/touchpoints?"+query, key, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "query")
	}
	b.call(t, http.MethodGet, "/touchpoints?accountId="+acme+"&type=CALL", key, nil).requireStatus(t, http.StatusOK)
	b.call(t, http.MethodGet, "/touchpoints?accountId=acc_01JD00000000000000000000%00", key, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accountId")
}
