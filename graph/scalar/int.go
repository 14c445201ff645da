package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// IntError is the error of an Int argument that is not a whole number in the
// signed 32-bit range.
type IntError struct {
	// Got is the value as it arrived.
	Got string
}

func (e *IntError) Error() string {
	return fmt.Sprintf("must be a whole number from %d to %d, got %s", math.MinInt32, math.MaxInt32, e.Got)
}

// MarshalInt writes a GraphQL Int.
func MarshalInt(i int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Itoa(i))
	})
}

// UnmarshalInt reads a GraphQL Int, which the GraphQL specification makes a
// signed 32-bit integer. A larger value is an input error rather than a
// number that is stored and later overflows or loses precision in JSON.
func UnmarshalInt(v any) (int, error) {
	var value int64
	switch typed := v.(type) {
	case int:
		value = int64(typed)
	case int32:
		value = int64(typed)
	case int64:
		value = typed
	case json.Number:
		parsed, err := strconv.ParseInt(string(typed), 10, 64)
		if err != nil {
			return 0, &IntError{Got: string(typed)}
		}
		value = parsed
	case float64:
		if typed != math.Trunc(typed) || math.Abs(typed) > math.MaxInt32+1 {
			return 0, &IntError{Got: strconv.FormatFloat(typed, 'g', -1, 64)}
		}
		value = int64(typed)
	default:
		return 0, &IntError{Got: fmt.Sprintf("%T %v", v, v)}
	}
	if value < math.MinInt32 || value > math.MaxInt32 {
		return 0, &IntError{Got: strconv.FormatInt(value, 10)}
	}
	return int(value), nil
}
