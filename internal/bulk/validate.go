package bulk

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/money"
)

// Length limits in characters, matching the ent schema.
const (
	maxName  = 255
	maxPhone = 64
	maxEmail = 320
)

// checker collects the problems of one item, with paths relative to it.
type checker struct {
	details []apierr.Detail
}

func (c *checker) add(field any, format string, args ...any) {
	c.details = append(c.details, apierr.Detail{Path: []any{field}, Message: fmt.Sprintf(format, args...)})
}

// key checks a required upsert key: present, not null, not blank.
func (c *checker) key(field string, value Optional[string], maxRunes int) {
	switch {
	case !value.Present:
		c.add(field, "is required; it identifies the record to create or update")
	case value.Null:
		c.add(field, "must not be null")
	case strings.TrimSpace(value.Value) == "":
		c.add(field, "must not be empty")
	default:
		c.textValue(field, value.Value, maxRunes)
	}
}

// required checks a field that every record has: it may be absent (kept on
// update, checked separately on create) but never null or empty.
func (c *checker) required(field string, value Optional[string], maxRunes int) {
	switch {
	case !value.Present:
	case value.Null:
		c.add(field, "must not be null")
	case value.Value == "":
		c.add(field, "must not be empty")
	default:
		c.textValue(field, value.Value, maxRunes)
	}
}

// text checks an optional text field; null clears it.
func (c *checker) text(field string, value Optional[string], maxRunes int) {
	if value.Set() {
		c.textValue(field, value.Value, maxRunes)
	}
}

func (c *checker) textValue(field, value string, maxRunes int) {
	if strings.ContainsRune(value, 0) {
		c.add(field, "must not contain a NUL character")
	}
	if count := utf8.RuneCountInString(value); count > maxRunes {
		c.add(field, "must be at most %d characters, got %d", maxRunes, count)
	}
}

// notNull rejects null on a field that cannot be empty, such as a boolean
// with a default.
func notNull[T any](c *checker, field string, value Optional[T]) {
	if value.Present && value.Null {
		c.add(field, "must not be null")
	}
}

// reference checks the form of an ID field: the prefix of the entity it must
// name. Whether the record exists is checked against the database later.
func (c *checker) reference(field string, value Optional[string], prefix string, nullable bool) {
	switch {
	case !value.Present:
	case value.Null:
		if !nullable {
			c.add(field, "must not be null")
		}
	case !id.HasPrefix(value.Value, prefix):
		c.add(field, "must be an ID starting with %s_, got %q", prefix, value.Value)
	}
}

// date checks an optional calendar date in the form YYYY-MM-DD.
func (c *checker) date(field string, value Optional[string]) {
	if !value.Set() {
		return
	}
	if _, err := time.Parse(time.DateOnly, value.Value); err != nil {
		c.add(field, "must be a date in the form YYYY-MM-DD, got %q", value.Value)
	}
}

// intRange checks an optional integer against inclusive bounds.
func (c *checker) intRange(field string, value Optional[int], low, high int) {
	if value.Set() && (value.Value < low || value.Value > high) {
		c.add(field, "must be between %d and %d, got %d", low, high, value.Value)
	}
}

// money checks an optional amount: not negative and within money.MaxCents.
func (c *checker) money(field string, value Optional[money.Cents]) {
	if value.Set() && (value.Value < 0 || value.Value > money.MaxCents) {
		c.add(field, "must be between 0 and %s, got %s", money.MaxCents, value.Value)
	}
}

// strings checks an optional list of short texts.
func (c *checker) strings(field string, value Optional[[]string]) {
	if !value.Set() {
		return
	}
	for i, item := range value.Value {
		if strings.ContainsRune(item, 0) {
			c.details = append(c.details, apierr.Detail{Path: []any{field, i}, Message: "must not contain a NUL character"})
		}
		if count := utf8.RuneCountInString(item); count > maxName {
			c.details = append(c.details, apierr.Detail{Path: []any{field, i}, Message: fmt.Sprintf("must be at most %d characters, got %d", maxName, count)})
		}
	}
}

// enum checks an optional enum field against its values.
func enum[T ~string](c *checker, field string, value Optional[T], nullable bool, allowed ...T) {
	switch {
	case !value.Present:
	case value.Null:
		if !nullable {
			c.add(field, "must not be null")
		}
	case !slices.Contains(allowed, value.Value):
		names := make([]string, len(allowed))
		for i, name := range allowed {
			names[i] = string(name)
		}
		c.add(field, "must be one of %s, got %q", strings.Join(names, ", "), value.Value)
	}
}
