package bulk

import (
	"slices"
	"time"
)

// The assign helpers apply one item field to a copy of a stored row and
// report whether the row changed, so an item that repeats the stored values
// is recognised and not written.

// assign applies a field whose column cannot be NULL.
func assign[T comparable](dst *T, value Optional[T]) bool {
	if !value.Set() || *dst == value.Value {
		return false
	}
	*dst = value.Value
	return true
}

// assignNillable applies a field whose column may be NULL; null clears it.
func assignNillable[T comparable](dst **T, value Optional[T]) bool {
	switch {
	case !value.Present:
		return false
	case value.Null:
		if *dst == nil {
			return false
		}
		*dst = nil
		return true
	case *dst != nil && **dst == value.Value:
		return false
	}
	copied := value.Value
	*dst = &copied
	return true
}

// assignTime applies a nullable timestamp at the precision it is stored
// with (UTC milliseconds), so a value read back compares equal.
func assignTime(dst **time.Time, value Optional[time.Time]) bool {
	switch {
	case !value.Present:
		return false
	case value.Null:
		if *dst == nil {
			return false
		}
		*dst = nil
		return true
	}
	stored := value.Value.UTC().Truncate(time.Millisecond)
	if *dst != nil && (*dst).Equal(stored) {
		return false
	}
	*dst = &stored
	return true
}

// assignStrings applies a list; null and an empty list both clear it.
func assignStrings(dst *[]string, value Optional[[]string]) bool {
	if !value.Present {
		return false
	}
	next := value.Value
	if value.Null || len(next) == 0 {
		next = nil
	}
	if slices.Equal(*dst, next) {
		return false
	}
	*dst = slices.Clone(next)
	return true
}
