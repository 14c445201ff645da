package money

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		want Cents
	}{
		{"3500", 350000},
		{"3500.5", 350050},
		{"3500.50", 350050},
		{"0.01", 1},
		{"-12.34", -1234},
		{"3.5e3", 350000},
		{"1.230", 123},
		{"100000000000", 10_000_000_000_000},
	}
	for _, tc := range cases {
		got, err := Parse(tc.text)
		require.NoError(t, err, tc.text)
		require.Equal(t, tc.want, got, tc.text)
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"0.001", "1.005", "abc", "", "1/2", "100000000000.01", "1e20"} {
		_, err := Parse(text)
		require.Error(t, err, text)
	}
	_, err := Parse("0.001")
	require.ErrorIs(t, err, ErrPrecision)
	_, err = Parse("1e20")
	require.ErrorIs(t, err, ErrRange)
}

func TestString(t *testing.T) {
	t.Parallel()
	require.Equal(t, "3500", Cents(350000).String())
	require.Equal(t, "3500.5", Cents(350050).String())
	require.Equal(t, "3500.05", Cents(350005).String())
	require.Equal(t, "-0.5", Cents(-50).String())
	require.Equal(t, "0", Cents(0).String())
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	var value Cents
	require.NoError(t, json.Unmarshal([]byte("1234.56"), &value))
	require.Equal(t, Cents(123456), value)

	encoded, err := json.Marshal(value)
	require.NoError(t, err)
	require.Equal(t, "1234.56", string(encoded))

	require.Error(t, json.Unmarshal([]byte(`"12"`), &value))
	require.Error(t, json.Unmarshal([]byte("12.345"), &value))
}

func TestSumIsExact(t *testing.T) {
	t.Parallel()
	// 0.1 + 0.2 is not 0.3 in floating point; in cents it is.
	a, _ := Parse("0.1")
	b, _ := Parse("0.2")
	require.Equal(t, "0.3", (a + b).String())
}
