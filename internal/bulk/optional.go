package bulk

import (
	"bytes"
	"encoding/json"
)

// Optional is a field of a bulk item that tells three states apart: absent
// (Present false), JSON null (Present and Null) and a value. An absent field
// leaves a stored value unchanged, null clears an optional field and is
// invalid on a required one, and a value replaces what is stored.
type Optional[T any] struct {
	Present bool
	Null    bool
	Value   T
}

// Some returns a present, non-null Optional, for callers that build items in
// Go (the GraphQL resolvers and tests).
func Some[T any](value T) Optional[T] {
	return Optional[T]{Present: true, Value: value}
}

// Null returns a present Optional that is JSON null.
func Null[T any]() Optional[T] {
	return Optional[T]{Present: true, Null: true}
}

// Set reports whether the field carries a value (present and not null).
func (o Optional[T]) Set() bool { return o.Present && !o.Null }

// UnmarshalJSON records that the field was present and decodes its value.
// encoding/json calls it for a present key only, including for null.
func (o *Optional[T]) UnmarshalJSON(data []byte) error {
	o.Present = true
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		o.Null = true
		var zero T
		o.Value = zero
		return nil
	}
	o.Null = false
	// Strict like the request decoder: a struct value with an unknown field
	// is an error rather than a silently dropped typo.
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	return decoder.Decode(&o.Value)
}

// MarshalJSON writes the value, or null when the field is null or absent.
// Struct fields of type Optional should carry `json:",omitzero"` so an absent
// field is left out.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.Set() {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// IsZero reports whether the field is absent, so omitzero drops it.
func (o Optional[T]) IsZero() bool { return !o.Present }
