package rest

import (
	"errors"
	"net/url"
	"testing"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/pagination"
)

// FuzzParseBody feeds arbitrary bytes to the body reader: it must never
// panic, and it must reject input only with invalid_json or
// validation_error.
func FuzzParseBody(f *testing.F) {
	for _, seed := range []string{
		`{"name": "Acme", "employeeCount": 65}`,
		`{"name": "a", "name": "b"}`,
		`{"accounts": [{"accountId": "acc_1", "isPrimary": true}]}`,
		`{"estimatedMrr": 3500.123}`,
		`{} x`,
		`[1, 2]`,
		"{\"name\": \"\\u0000\"}",
		``,
	} {
		f.Add([]byte(seed), false)
	}

	f.Fuzz(func(t *testing.T, data []byte, patch bool) {
		b, err := parseBody(data, patch)
		if err != nil {
			requireCode(t, err, apierr.InvalidJSON, apierr.ValidationError)
			return
		}
		readAccount(b)
		readAccountLinks(b)
		amount(b, "estimatedMrr")
		timestamp(b, "occurredAt")
		if err := b.finish(); err != nil {
			requireCode(t, err, apierr.ValidationError)
		}
	})
}

// FuzzParsePage feeds arbitrary query strings to the list parameters: a
// page that parses has a limit from 1 to 100 and a sort, and anything else
// is a validation error.
func FuzzParsePage(f *testing.F) {
	for _, seed := range []string{
		"limit=50&sort=name:desc,createdAt",
		"limit=0",
		"limit=1000&cursor=acc_01JD0000000000000000000000",
		"updatedAfter=2026-05-01T00:00:00+02:00",
		"sort=bogus:sideways",
		"cursor=%00",
	} {
		f.Add(seed)
	}
	op := &Operation{List: true, Sorts: accountSorts}

	f.Fuzz(func(t *testing.T, rawQuery string) {
		query, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		page, err := parsePage(query, op)
		if err != nil {
			requireCode(t, err, apierr.ValidationError)
			return
		}
		if page.Limit < 1 || page.Limit > pagination.MaxLimit {
			t.Fatalf("limit %d is outside 1 to %d", page.Limit, pagination.MaxLimit)
		}
		if len(page.Sort) == 0 {
			t.Fatal("a parsed page has no sort")
		}
	})
}

func requireCode(t *testing.T, err error, codes ...apierr.Code) {
	t.Helper()
	var apiErr *apierr.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an API error", err)
	}
	for _, code := range codes {
		if apiErr.Code == code {
			return
		}
	}
	t.Fatalf("error code %s, expected one of %v", apiErr.Code, codes)
}
