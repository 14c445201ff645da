package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/money"
)

// Request bodies are read strictly. A repeated key or anything after the JSON
// value is invalid_json. An unknown field, a field of the wrong type, a null
// on a required field, text with a NUL character, text longer than its limit
// and money with more than two decimals are validation errors naming the
// field. Field names match exactly, so EMAIL is not email. Every problem of a
// body is reported at once.

// maxNameLength is the limit of names and titles, in characters.
const maxNameLength = 255

// body is a JSON object being read field by field.
type body struct {
	fields map[string]json.RawMessage
	read   map[string]bool
	// path locates the object inside the request, such as ["accounts", 2].
	path []any
	// patch is true for PATCH, where absent fields are left unchanged and a
	// null clears an optional field.
	patch   bool
	details *[]apierr.Detail
}

// value is one field as read from a body.
type value[T any] struct {
	// Set is true when the field is present with a valid, non-null value.
	Set bool
	// Null is true when the field is present as null on an optional field.
	Null bool
	V    T
}

// parseBody checks that data is one JSON object with no repeated keys and
// nothing after it, and returns it for reading.
func parseBody(data []byte, patch bool) (*body, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, apierr.New(apierr.InvalidJSON, "the request body is empty; send a JSON object")
	}
	if !utf8.Valid(data) {
		return nil, apierr.New(apierr.InvalidJSON, "the request body is not valid UTF-8")
	}

	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	if err := checkValue(decoder); err != nil {
		return nil, invalidJSON(err)
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return nil, apierr.New(apierr.InvalidJSON, "the request body has data after the JSON value; send exactly one JSON object")
	}

	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, apierr.Validation(apierr.Detail{Path: []any{}, Message: "the request body must be a JSON object"})
	}
	return &body{fields: fields, read: map[string]bool{}, patch: patch, details: &[]apierr.Detail{}}, nil
}

func invalidJSON(err error) *apierr.Error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return apierr.New(apierr.InvalidJSON, "the request body is not valid JSON: %s at byte %d", syntax.Error(), syntax.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return apierr.New(apierr.InvalidJSON, "the request body is not valid JSON: it ends early")
	}
	return apierr.New(apierr.InvalidJSON, "the request body is not valid JSON: %s", err.Error())
}

// checkValue reads one JSON value from the decoder and rejects an object that
// repeats a key, at any depth.
func checkValue(decoder *json.Decoder) error {
	token, err := decoder.Token()
	if err != nil {
		return err
	}
	delimiter, ok := token.(json.Delim)
	if !ok {
		return nil
	}
	switch delimiter {
	case '{':
		seen := map[string]bool{}
		for decoder.More() {
			keyToken, err := decoder.Token()
			if err != nil {
				return err
			}
			key, _ := keyToken.(string)
			if seen[key] {
				return fmt.Errorf("the key %q appears more than once in one object", key)
			}
			seen[key] = true
			if err := checkValue(decoder); err != nil {
				return err
			}
		}
	case '[':
		for decoder.More() {
			if err := checkValue(decoder); err != nil {
				return err
			}
		}
	}
	_, err = decoder.Token()
	return err
}

// fieldPath returns the path of a field of this object.
func (b *body) fieldPath(name string) []any {
	return append(append([]any{}, b.path...), name)
}

func (b *body) fail(name string, format string, args ...any) {
	*b.details = append(*b.details, apierr.Detail{Path: b.fieldPath(name), Message: fmt.Sprintf(format, args...)})
}

// presence is whether a field may be absent or null.
type presence int

const (
	// optional fields may be absent, and null clears them on PATCH.
	optional presence = iota
	// notNull fields may be absent (they have a default) but never null.
	notNull
	// required fields must be present on create and are never null.
	required
)

// raw returns a field's JSON and marks it read. A required field missing on
// create and a null on a field that cannot be null are reported here.
func (b *body) raw(name string, rule presence) (data json.RawMessage, present, null bool) {
	b.read[name] = true
	data, present = b.fields[name]
	if !present {
		if rule == required && !b.patch {
			b.fail(name, "is required")
		}
		return nil, false, false
	}
	if string(bytes.TrimSpace(data)) == "null" {
		if rule != optional {
			b.fail(name, "must not be null")
		}
		return nil, true, true
	}
	return data, true, false
}

// finish reports the fields that no reader consumed as unknown and returns
// every problem found in the body and its nested objects, or nil.
func (b *body) finish() error {
	b.reportUnknown()
	if len(*b.details) == 0 {
		return nil
	}
	return apierr.Validation(*b.details...)
}

func (b *body) reportUnknown() {
	var unknown []string
	for name := range b.fields {
		if !b.read[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		b.fail(name, "is not a known field; field names are case-sensitive")
	}
}

// textRule limits a text field.
type textRule struct {
	presence presence
	// max is the limit in characters; 0 means maxNameLength.
	max int
	// blank allows an empty or whitespace-only value.
	blank bool
}

func text(b *body, name string, rule textRule) value[string] {
	data, present, null := b.raw(name, rule.presence)
	if !present || null {
		return value[string]{Null: null && rule.presence == optional}
	}
	var parsed string
	if err := json.Unmarshal(data, &parsed); err != nil {
		b.fail(name, "must be a string")
		return value[string]{}
	}
	limit := rule.max
	if limit == 0 {
		limit = maxNameLength
	}
	switch {
	case strings.ContainsRune(parsed, 0):
		b.fail(name, "must not contain a NUL character")
	case !rule.blank && strings.TrimSpace(parsed) == "":
		b.fail(name, "must not be blank")
	case utf8.RuneCountInString(parsed) > limit:
		b.fail(name, "must be at most %d characters, got %d", limit, utf8.RuneCountInString(parsed))
	default:
		return value[string]{Set: true, V: parsed}
	}
	return value[string]{}
}

// jsonNumber reads a JSON number. encoding/json also decodes a string that
// contains a number, such as "50", into a json.Number. That is a type error
// here, as in the OpenAPI schema.
func jsonNumber(data json.RawMessage) (json.Number, bool) {
	var number json.Number
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 || data[0] == '"' || json.Unmarshal(data, &number) != nil {
		return "", false
	}
	return number, true
}

func integer(b *body, name string, rule presence, minimum, maximum int) value[int] {
	data, present, null := b.raw(name, rule)
	if !present || null {
		return value[int]{Null: null && rule == optional}
	}
	number, isNumber := jsonNumber(data)
	if !isNumber {
		b.fail(name, "must be a whole number, not a string or another JSON type")
		return value[int]{}
	}
	parsed, err := strconv.ParseInt(number.String(), 10, 64)
	if err != nil {
		whole, ratErr := strconv.ParseFloat(number.String(), 64)
		if ratErr != nil || whole != float64(int64(whole)) {
			b.fail(name, "must be a whole number, got %s", number)
			return value[int]{}
		}
		parsed = int64(whole)
	}
	if parsed < int64(minimum) || parsed > int64(maximum) {
		b.fail(name, "must be between %d and %d, got %d", minimum, maximum, parsed)
		return value[int]{}
	}
	return value[int]{Set: true, V: int(parsed)}
}

func boolean(b *body, name string, rule presence) value[bool] {
	data, present, null := b.raw(name, rule)
	if !present || null {
		return value[bool]{Null: null && rule == optional}
	}
	var parsed bool
	if err := json.Unmarshal(data, &parsed); err != nil {
		b.fail(name, "must be true or false")
		return value[bool]{}
	}
	return value[bool]{Set: true, V: parsed}
}

func enum[E ~string](b *body, name string, rule presence, allowed []E) value[E] {
	data, present, null := b.raw(name, rule)
	if !present || null {
		return value[E]{Null: null && rule == optional}
	}
	var parsed string
	if err := json.Unmarshal(data, &parsed); err != nil || !slices.Contains(allowed, E(parsed)) {
		b.fail(name, "must be one of %s", joinValues(allowed))
		return value[E]{}
	}
	return value[E]{Set: true, V: E(parsed)}
}

func joinValues[E ~string](values []E) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// date reads a calendar date in the form YYYY-MM-DD.
func date(b *body, name string) value[string] {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return value[string]{Null: null}
	}
	var parsed string
	if err := json.Unmarshal(data, &parsed); err != nil {
		b.fail(name, "must be a date in the form YYYY-MM-DD")
		return value[string]{}
	}
	if _, err := time.Parse(time.DateOnly, parsed); err != nil {
		b.fail(name, "must be a date in the form YYYY-MM-DD, got %q", parsed)
		return value[string]{}
	}
	return value[string]{Set: true, V: parsed}
}

// timestamp reads an RFC 3339 time; it is stored in UTC with millisecond
// precision.
func timestamp(b *body, name string) value[time.Time] {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return value[time.Time]{Null: null}
	}
	var parsed string
	if err := json.Unmarshal(data, &parsed); err != nil {
		b.fail(name, "must be an RFC 3339 time such as 2026-05-06T18:42:11.443Z")
		return value[time.Time]{}
	}
	instant, err := time.Parse(time.RFC3339Nano, parsed)
	if err != nil {
		b.fail(name, "must be an RFC 3339 time such as 2026-05-06T18:42:11.443Z, got %q", parsed)
		return value[time.Time]{}
	}
	return value[time.Time]{Set: true, V: instant.UTC().Truncate(time.Millisecond)}
}

// amount reads money: a JSON number with at most two decimals within
// money.MaxCents, never rounded.
func amount(b *body, name string) value[money.Cents] {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return value[money.Cents]{Null: null}
	}
	var parsed money.Cents
	if err := json.Unmarshal(data, &parsed); err != nil {
		// money's errors read as advice: "must have at most two decimal
		// places", "must be between …".
		b.fail(name, "%s", err.Error())
		return value[money.Cents]{}
	}
	if parsed < 0 {
		b.fail(name, "must not be negative")
		return value[money.Cents]{}
	}
	return value[money.Cents]{Set: true, V: parsed}
}

// reference reads the ID of another record, which must carry the prefix of
// its type. Whether it exists in the org is checked by the tenant hooks.
func reference(b *body, name string, rule presence, prefix string) value[string] {
	data, present, null := b.raw(name, rule)
	if !present || null {
		return value[string]{Null: null && rule == optional}
	}
	var parsed string
	if err := json.Unmarshal(data, &parsed); err != nil || !id.HasPrefix(parsed, prefix) || len(parsed) > 64 {
		b.fail(name, "must be an ID starting with %s_", prefix)
		return value[string]{}
	}
	return value[string]{Set: true, V: parsed}
}

// textList reads a list of strings, each checked by item.
func textList(b *body, name string, maxItems int, item func(string) string) value[[]string] {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return value[[]string]{Null: null}
	}
	var parsed []string
	if err := json.Unmarshal(data, &parsed); err != nil {
		b.fail(name, "must be a list of strings")
		return value[[]string]{}
	}
	if len(parsed) > maxItems {
		b.fail(name, "must have at most %d items, got %d", maxItems, len(parsed))
		return value[[]string]{}
	}
	valid := true
	for i, entry := range parsed {
		if problem := item(entry); problem != "" {
			*b.details = append(*b.details, apierr.Detail{Path: append(b.fieldPath(name), i), Message: problem})
			valid = false
		}
	}
	if !valid {
		return value[[]string]{}
	}
	if parsed == nil {
		parsed = []string{}
	}
	return value[[]string]{Set: true, V: parsed}
}

// objectList reads a list of JSON objects, each returned as a body whose
// problems are reported at [name, index, field]. An item that is not an
// object is reported and comes back as nil. Callers call reportUnknown on
// each item.
func objectList(b *body, name string, maxItems int) ([]*body, bool) {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return nil, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		b.fail(name, "must be a list of objects")
		return nil, false
	}
	if len(items) > maxItems {
		b.fail(name, "must have at most %d items, got %d", maxItems, len(items))
		return nil, false
	}
	bodies := make([]*body, len(items))
	for i, item := range items {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(item, &fields); err != nil || fields == nil {
			*b.details = append(*b.details, apierr.Detail{Path: append(b.fieldPath(name), i), Message: "must be an object"})
			continue
		}
		bodies[i] = &body{
			fields:  fields,
			read:    map[string]bool{},
			path:    append(b.fieldPath(name), i),
			patch:   b.patch,
			details: b.details,
		}
	}
	return bodies, true
}

// setOptional copies a present value into an optional field of a create input.
func setOptional[T any](target **T, v value[T]) {
	if v.Set {
		copied := v.V
		*target = &copied
	}
}

// patchOptional copies a present value into an optional field of an update
// input, or sets its clear flag for a null.
func patchOptional[T any](target **T, clear *bool, v value[T]) {
	setOptional(target, v)
	if v.Null {
		*clear = true
	}
}
