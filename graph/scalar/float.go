package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// FloatError is the error of a Float argument that is not a finite number.
type FloatError struct {
	// Got is the value as it arrived.
	Got string
}

func (e *FloatError) Error() string {
	return "must be a finite number, got " + e.Got
}

// MarshalFloat writes a GraphQL Float.
func MarshalFloat(f float64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.FormatFloat(f, 'g', -1, 64))
	})
}

// UnmarshalFloat reads a GraphQL Float: a JSON or GraphQL number, never a
// string that contains one, as the GraphQL specification's input coercion
// requires and the REST API does.
func UnmarshalFloat(v any) (float64, error) {
	var value float64
	switch typed := v.(type) {
	case float64:
		value = typed
	case int:
		value = float64(typed)
	case int64:
		value = float64(typed)
	case json.Number:
		parsed, err := strconv.ParseFloat(string(typed), 64)
		if err != nil {
			return 0, &FloatError{Got: string(typed)}
		}
		value = parsed
	case string:
		return 0, &FloatError{Got: fmt.Sprintf("the string %q", typed)}
	default:
		return 0, &FloatError{Got: fmt.Sprintf("%T %v", v, v)}
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, &FloatError{Got: fmt.Sprint(value)}
	}
	return value, nil
}
