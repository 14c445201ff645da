package churn

import "math"

// NoDataScore is the sub-score of a signal without data: neither healthy nor
// at risk.
const NoDataScore = 50

// OpenTicketsScore maps the number of open P1/P2 tickets to a sub-score: 0 →
// 100, 1 → 80, 2 → 60, 3 or more → 30, minus 20 when the oldest open ticket
// is more than 7 days old. A nil age subtracts nothing; a negative count
// counts as 0.
func OpenTicketsScore(count int, oldestAgeDays *float64) int {
	var score int
	switch {
	case count <= 0:
		return 100
	case count == 1:
		score = 80
	case count == 2:
		score = 60
	default:
		score = 30
	}
	if oldestAgeDays != nil && *oldestAgeDays > 7 {
		score -= 20
	}
	return clamp(score)
}

// RecencyScore maps the days since the last touchpoint to a sub-score: 0–89
// → 100, 90–120 → 70, 121–180 → 40, more → 10. Nil (no touchpoint ever) is
// NoDataScore; a negative number of days counts as 0.
func RecencyScore(days *int) int {
	switch {
	case days == nil:
		return NoDataScore
	case *days <= 89:
		return 100
	case *days <= 120:
		return 70
	case *days <= 180:
		return 40
	}
	return 10
}

// UtilizationScore maps billable hours as a percentage of budget (118 is 18 %
// over) to a sub-score: up to 110 → 100, so under budget counts as within
// 10 %; up to 125 → 60; more → 20.
func UtilizationScore(percentOfBudget float64) int {
	switch {
	case percentOfBudget <= 110:
		return 100
	case percentOfBudget <= 125:
		return 60
	}
	return 20
}

// CSATScore maps a CSAT percentage (satisfied responses out of all) to a
// sub-score: the percentage itself, rounded half up and clamped to 0–100.
func CSATScore(percentSatisfied float64) int {
	return roundClamp(percentSatisfied)
}

// StackStandardizationScore maps a stack standardization score to a
// sub-score: the score itself, rounded half up and clamped to 0–100.
func StackStandardizationScore(score float64) int {
	return roundClamp(score)
}

// PaymentHealthScore maps the days the oldest unpaid invoice is overdue to a
// sub-score: 0 or less → 100, up to 30 → 70, up to 60 → 40, more → 10.
func PaymentHealthScore(daysOverdue float64) int {
	switch {
	case daysOverdue <= 0:
		return 100
	case daysOverdue <= 30:
		return 70
	case daysOverdue <= 60:
		return 40
	}
	return 10
}

// RenewalProximityScore maps the days until the nearest renewal to a
// sub-score: more than 180 → 100, 91–180 → 80, 31–90 → 50, 30 or less
// (passed included) → 30, plus 20 when the contract auto-renews, capped at
// 100. Nil (no ACTIVE contract with a date) is NoDataScore.
func RenewalProximityScore(daysToRenewal *int, autoRenew bool) int {
	if daysToRenewal == nil {
		return NoDataScore
	}
	var score int
	switch {
	case *daysToRenewal > 180:
		score = 100
	case *daysToRenewal > 90:
		score = 80
	case *daysToRenewal > 30:
		score = 50
	default:
		score = 30
	}
	if autoRenew {
		score += 20
	}
	return clamp(score)
}

// EmployeeGrowthScore maps the percentage change of the employee count over a
// year to a sub-score: 0 or more → 100, down to −10 → 70, down to −25 → 40,
// below −25 → 10.
func EmployeeGrowthScore(percentChange float64) int {
	switch {
	case percentChange >= 0:
		return 100
	case percentChange >= -10:
		return 70
	case percentChange >= -25:
		return 40
	}
	return 10
}

// clamp limits a sub-score to 0–100.
func clamp(score int) int {
	return min(max(score, 0), 100)
}

// roundClamp rounds a value half up and clamps it to 0–100.
func roundClamp(value float64) int {
	switch {
	case math.IsNaN(value):
		return NoDataScore
	case value <= 0:
		return 0
	case value >= 100:
		return 100
	}
	return int(math.Floor(value + 0.5))
}
