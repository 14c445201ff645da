package mrr

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/money"
)

func TestServiceLineMRR(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		quantity  int
		unitPrice money.Cents
		frequency serviceline.BillingFrequency
		want      money.Cents
	}{
		{"monthly is quantity times price", 2, 5000, serviceline.BillingFrequencyMONTHLY, 10000},
		{"quarterly divides exactly", 3, 3333, serviceline.BillingFrequencyQUARTERLY, 3333},       // 99.99 / 3 = 33.33
		{"quarterly rounds a third down", 1, 10000, serviceline.BillingFrequencyQUARTERLY, 3333},  // 33.333…
		{"quarterly rounds two thirds up", 2, 10000, serviceline.BillingFrequencyQUARTERLY, 6667}, // 66.666…
		{"one cent quarterly is zero", 1, 1, serviceline.BillingFrequencyQUARTERLY, 0},            // 0.333… cents
		{"two cents quarterly is one cent", 1, 2, serviceline.BillingFrequencyQUARTERLY, 1},       // 0.666… cents
		{"semi-annual half cent rounds up", 1, 3, serviceline.BillingFrequencySEMI_ANNUAL, 1},     // 0.5 cents
		{"semi-annual thousand", 1, 100000, serviceline.BillingFrequencySEMI_ANNUAL, 16667},       // 166.666…
		{"annual half cent rounds up", 1, 6, serviceline.BillingFrequencyANNUAL, 1},               // 0.5 cents
		{"annual five cents is zero", 1, 5, serviceline.BillingFrequencyANNUAL, 0},                // 0.416… cents
		{"annual odd total", 7, 1299, serviceline.BillingFrequencyANNUAL, 758},                    // 90.93 / 12 = 7.5775
		{"annual exact", 1, 1200000, serviceline.BillingFrequencyANNUAL, 100000},
		{"rounding applies to the total", 12, 1, serviceline.BillingFrequencyANNUAL, 1}, // 12 × 0.01 / 12
		{"one-time is zero", 10, 1999, serviceline.BillingFrequencyONE_TIME, 0},
		{"zero quantity is zero", 0, 10000, serviceline.BillingFrequencyMONTHLY, 0},
		{"unknown frequency is zero", 1, 10000, serviceline.BillingFrequency("WEEKLY"), 0},
		{"credit rounds symmetrically", 1, -6, serviceline.BillingFrequencyANNUAL, -1}, // −0.5 cents
		{"credit quarterly", 3, -10000, serviceline.BillingFrequencyQUARTERLY, -10000},
		{"credit two thirds", 1, -20000, serviceline.BillingFrequencyQUARTERLY, -6667}, // −66.666…
		{"overflowing product is capped", 1_000_000_000, money.MaxCents, serviceline.BillingFrequencyMONTHLY, money.MaxCents},
		{"large annual is capped", 1_000_000, money.MaxCents, serviceline.BillingFrequencyANNUAL, money.MaxCents},
		{"overflowing credit is capped", 1_000_000_000, -money.MaxCents, serviceline.BillingFrequencyQUARTERLY, -money.MaxCents},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := ServiceLineMRR(tc.quantity, tc.unitPrice, tc.frequency)
			require.Equal(t, tc.want, got, "ServiceLineMRR(%d, %s, %s)", tc.quantity, tc.unitPrice, tc.frequency)
		})
	}
}

func TestServiceLineMRRRoundsEachLine(t *testing.T) {
	t.Parallel()
	// Three lines of 100.00 a quarter are 33.33 each, so 99.99 in total, not
	// 100.00: each line is rounded on its own and the sum adds the rounded
	// amounts, so every total equals the sum of its parts.
	var total money.Cents
	for range 3 {
		total += ServiceLineMRR(1, 10000, serviceline.BillingFrequencyQUARTERLY)
	}
	require.Equal(t, money.Cents(9999), total)
}

func TestDivideBigMatchesDivideRounded(t *testing.T) {
	t.Parallel()
	for _, quantity := range []int64{1, 2, 3, 7, -5, 1000} {
		for _, price := range []int64{1, 2, 3, 5, 6, 1299, -6, -20000, 999_999} {
			for _, months := range []int64{1, 3, 6, 12} {
				want := divideRounded(quantity*price, months)
				require.Equal(t, want, divideBig(quantity, price, months), "%d × %d ÷ %d", quantity, price, months)
			}
		}
	}
}

func TestARR(t *testing.T) {
	t.Parallel()
	require.Equal(t, money.Cents(1200), ARR(100))
	require.Equal(t, money.Cents(39996), ARR(3333))
}

func TestSplitPercent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		amounts []money.Cents
		want    []int64
	}{
		{"thirds give the spare hundredth to the first", []money.Cents{1, 1, 1}, []int64{3334, 3333, 3333}},
		{"larger remainder wins", []money.Cents{1, 2}, []int64{3333, 6667}},
		{"sevenths share four spare hundredths", []money.Cents{1, 1, 1, 1, 1, 1, 1}, []int64{1429, 1429, 1429, 1429, 1428, 1428, 1428}},
		// 2/11 = 1818.18 with remainder 2; 1/11 = 909.09 with remainder 1.
		{"elevenths", []money.Cents{2, 1, 1, 1, 1, 1, 1, 1, 1, 1}, []int64{1819, 909, 909, 909, 909, 909, 909, 909, 909, 909}},
		{"one category takes all", []money.Cents{0, 12345, 0}, []int64{0, 10000, 0}},
		{"zero total", []money.Cents{0, 0}, []int64{0, 0}},
		{"negative total", []money.Cents{-10, 5}, []int64{0, 0}},
		{"credit category", []money.Cents{150, -50}, []int64{15000, -5000}},
		{"huge amounts", []money.Cents{money.MaxCents, money.MaxCents, money.MaxCents}, []int64{3334, 3333, 3333}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := SplitPercent(tc.amounts)
			require.Equal(t, tc.want, got)

			var total money.Cents
			var sum int64
			for i, share := range got {
				total += tc.amounts[i]
				sum += share
			}
			if total > 0 {
				require.EqualValues(t, 10000, sum, "shares must add up to 100.00 %%")
			}
		})
	}
}
