// Package render turns entities into their public JSON: camelCase names with
// Id (accountId, externalId), times in UTC as RFC 3339 with three decimals,
// money as numbers with at most two decimals, and every optional field
// present, as null when unset. REST responses and webhook payloads both use
// it, so a webhook carries exactly what GET returns. Webhook delivery must not
// depend on the transports, so this package imports neither rest nor graph.
package render

import (
	"time"
)

// TimeLayout is RFC 3339 with exactly three decimals, as every time in the
// API is written.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time is an instant that marshals in UTC with TimeLayout.
type Time struct{ time.Time }

// MarshalJSON writes the time as a JSON string in TimeLayout.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(TimeLayout) + `"`), nil
}

// FormatTime returns t in UTC in TimeLayout.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

func timeOf(t time.Time) Time { return Time{t} }

func optionalTime(t *time.Time) *Time {
	if t == nil {
		return nil
	}
	return &Time{*t}
}

// optionalString converts an optional enum or other named string to *string.
func optionalString[S ~string](value *S) *string {
	if value == nil {
		return nil
	}
	text := string(*value)
	return &text
}

// list returns values, or an empty list in place of nil, so JSON shows [].
func list(values []string) []string {
	if values == nil {
		return []string{}
	}
	return values
}

// Deleted is the result of a hard delete.
type Deleted struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
}

// HardDeleted returns the result of hard-deleting the record with the ID.
func HardDeleted(id string) Deleted { return Deleted{ID: id, Deleted: true} }
