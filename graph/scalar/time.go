// Package scalar holds the GraphQL scalars whose wire form Breadbox fixes
// itself.
package scalar

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// TimeLayout is RFC 3339 in UTC with exactly three decimals, the form of
// every timestamp the API returns on REST and GraphQL alike.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// ErrInvalidTime is returned for a time that is not RFC 3339.
var ErrInvalidTime = errors.New("must be an RFC 3339 time such as 2026-05-06T18:42:11.443Z")

// MarshalTime writes a timestamp in UTC with millisecond precision.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(TimeLayout)))
	})
}

// UnmarshalTime reads an RFC 3339 timestamp and truncates it to milliseconds.
func UnmarshalTime(v any) (time.Time, error) {
	text, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%w, got %T", ErrInvalidTime, v)
	}
	parsed, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w, got %q", ErrInvalidTime, text)
	}
	return parsed.UTC().Truncate(time.Millisecond), nil
}
