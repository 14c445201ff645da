// Package money holds amounts as integer cents so arithmetic is exact, and
// parses and prints them as JSON numbers with at most two decimals.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Cents is an amount of money in hundredths of the org's currency unit.
type Cents int64

// MaxCents bounds every amount: 10^13 cents (one hundred billion units) keeps
// sums of thousands of amounts far inside int64.
const MaxCents Cents = 10_000_000_000_000

// ErrPrecision is returned for an amount with more than two decimals.
var ErrPrecision = errors.New("must have at most two decimal places")

// ErrNotNumber is returned for text that is not a decimal number.
var ErrNotNumber = errors.New("must be a number such as 3500 or 3500.50")

// ErrRange is returned for an amount beyond MaxCents in either direction.
var ErrRange = fmt.Errorf("must be between -%s and %s", MaxCents, MaxCents)

// Parse reads a decimal number such as "3500", "3500.5", "-12.34" or "3.5e3"
// exactly, without going through a float.
func Parse(text string) (Cents, error) {
	text = strings.TrimSpace(text)
	if text == "" || strings.ContainsAny(text, "/ _") {
		return 0, fmt.Errorf("%w, got %q", ErrNotNumber, text)
	}
	value, ok := new(big.Rat).SetString(text)
	if !ok {
		return 0, fmt.Errorf("%w, got %q", ErrNotNumber, text)
	}

	cents := new(big.Rat).Mul(value, big.NewRat(100, 1))
	if !cents.IsInt() {
		return 0, ErrPrecision
	}
	limit := big.NewInt(int64(MaxCents))
	if cents.Num().CmpAbs(limit) > 0 {
		return 0, ErrRange
	}
	return Cents(cents.Num().Int64()), nil
}

// FromFloat converts a float amount, rejecting any that is not a whole number of
// cents. GraphQL clients send Float literals, so they pass through here.
func FromFloat(value float64) (Cents, error) {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, ErrRange
	}
	return Parse(strconv.FormatFloat(value, 'f', -1, 64))
}

// String prints the amount with no trailing zeros: 3500, 3500.5, 3500.25.
func (c Cents) String() string {
	sign := ""
	value := int64(c)
	if value < 0 {
		sign = "-"
		value = -value
	}
	whole, fraction := value/100, value%100
	switch {
	case fraction == 0:
		return fmt.Sprintf("%s%d", sign, whole)
	case fraction%10 == 0:
		return fmt.Sprintf("%s%d.%d", sign, whole, fraction/10)
	default:
		return fmt.Sprintf("%s%d.%02d", sign, whole, fraction)
	}
}

// Float returns the amount in units, for display only.
func (c Cents) Float() float64 { return float64(c) / 100 }

// MarshalJSON writes the amount as a JSON number.
func (c Cents) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalJSON reads a JSON number exactly; a string or more than two decimals
// is an error.
func (c *Cents) UnmarshalJSON(data []byte) error {
	// json.Number would also accept a quoted string; money must be a number.
	var number json.Number
	if len(data) == 0 || data[0] == '"' || json.Unmarshal(data, &number) != nil {
		return errors.New("must be a number")
	}
	parsed, err := Parse(number.String())
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// MarshalGQL writes the amount as a GraphQL Money value (a JSON number).
func (c Cents) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, c.String()) }

// UnmarshalGQL reads a GraphQL Int, Float or numeric String literal.
func (c *Cents) UnmarshalGQL(v any) error {
	var (
		parsed Cents
		err    error
	)
	switch value := v.(type) {
	case json.Number:
		parsed, err = Parse(value.String())
	case string:
		parsed, err = Parse(value)
	case int:
		parsed, err = Parse(strconv.Itoa(value))
	case int64:
		parsed, err = Parse(strconv.FormatInt(value, 10))
	case float64:
		parsed, err = FromFloat(value)
	default:
		return fmt.Errorf("%w, got %T", ErrNotNumber, v)
	}
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}
