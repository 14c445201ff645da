package churn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func days(value int) *int           { return &value }
func number(value float64) *float64 { return &value }

func TestOpenTicketsScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		count  int
		oldest *float64
		want   int
	}{
		{"none", 0, nil, 100},
		{"none with a stale age", 0, number(30), 100},
		{"negative count", -2, nil, 100},
		{"one", 1, nil, 80},
		{"one fresh", 1, number(7), 80},
		{"one older than a week", 1, number(7.5), 60},
		{"two", 2, number(2), 60},
		{"two old", 2, number(8), 40},
		{"three", 3, nil, 30},
		{"three old", 3, number(10), 10},
		{"many old", 40, number(90), 10},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, OpenTicketsScore(tc.count, tc.oldest), tc.name)
	}
}

func TestRecencyScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		days *int
		want int
	}{
		{nil, 50},
		{days(-3), 100},
		{days(0), 100},
		{days(89), 100},
		{days(90), 70},
		{days(120), 70},
		{days(121), 40},
		{days(180), 40},
		{days(181), 10},
		{days(2000), 10},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, RecencyScore(tc.days), "days %v", tc.days)
	}
}

func TestUtilizationScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		percent float64
		want    int
	}{
		{0, 100},
		{45, 100},
		{100, 100},
		{110, 100},
		{110.01, 60},
		{118, 60},
		{125, 60},
		{125.5, 20},
		{300, 20},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, UtilizationScore(tc.percent), "percent %v", tc.percent)
	}
}

func TestCSATScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		csat float64
		want int
	}{
		{92, 92},
		{87.5, 88},
		{87.49, 87},
		{0, 0},
		{-4, 0},
		{100, 100},
		{140, 100},
		{math.Inf(1), 100},
		{math.NaN(), 50},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, CSATScore(tc.csat), "csat %v", tc.csat)
	}
}

func TestStackStandardizationScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		score float64
		want  int
	}{
		{72, 72},
		{72.5, 73},
		{0.4, 0},
		{-10, 0},
		{100.2, 100},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, StackStandardizationScore(tc.score), "score %v", tc.score)
	}
}

func TestPaymentHealthScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		overdue float64
		want    int
	}{
		{-5, 100},
		{0, 100},
		{0.5, 70},
		{1, 70},
		{30, 70},
		{30.5, 40},
		{31, 40},
		{60, 40},
		{61, 10},
		{365, 10},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, PaymentHealthScore(tc.overdue), "overdue %v", tc.overdue)
	}
}

func TestRenewalProximityScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		days      *int
		autoRenew bool
		want      int
	}{
		{nil, false, 50},
		{nil, true, 50},
		{days(365), false, 100},
		{days(181), true, 100}, // capped
		{days(180), false, 80},
		{days(91), false, 80},
		{days(91), true, 100},
		{days(90), false, 50},
		{days(31), true, 70},
		{days(30), false, 30},
		{days(30), true, 50},
		{days(0), false, 30},
		{days(-12), false, 30},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, RenewalProximityScore(tc.days, tc.autoRenew), "days %v, autoRenew %v", tc.days, tc.autoRenew)
	}
}

func TestEmployeeGrowthScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		change float64
		want   int
	}{
		{12, 100},
		{0, 100},
		{-0.5, 70},
		{-1, 70},
		{-10, 70},
		{-10.5, 40},
		{-11, 40},
		{-25, 40},
		{-25.1, 10},
		{-80, 10},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, EmployeeGrowthScore(tc.change), "change %v", tc.change)
	}
}
