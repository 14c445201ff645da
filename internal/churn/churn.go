// Package churn computes an account's churn risk: a score from 0 (safe) to
// 100 (about to leave), its level, the breakdown by signal, the daily
// history, and the per-org weights and level cut-offs.
//
// # Score
//
// Each of nine signals yields a health sub-score from 0 (bad) to 100 (good).
// With the org's weights, which add up to 100:
//
//	health = round(Σ sub-score × weight ÷ 100), halves rounded up
//	risk   = 100 − health
//
// so a weighted health of 72.5 is 73 and the risk 27. A signal without data
// scores 50, so an account with no integrations looks neither healthy nor at
// risk. Every sub-score is clamped to 0–100 before it is weighted, so the
// risk is always within 0–100. The level is LOW up to the org's lowMax
// (default 30), MEDIUM up to its mediumMax (default 60), and HIGH above.
//
// # Sub-scores
//
//	| key                    | weight | input                                              | sub-score                                                                 |
//	|------------------------|--------|----------------------------------------------------|---------------------------------------------------------------------------|
//	| OPEN_TICKETS           | 20     | open P1/P2 ticket count; oldest ticket age in days | 0 → 100, 1 → 80, 2 → 60, 3 or more → 30; minus 20 if the oldest is more than 7 days old |
//	| CSAT_TREND             | 15     | CSAT as the percentage of satisfied responses      | the percentage itself, rounded half up                                     |
//	| UTILIZATION            | 15     | billable hours as a percentage of budget           | up to 110 (under budget included) → 100, up to 125 → 60, more → 20         |
//	| TOUCHPOINT_RECENCY     | 10     | days since the last touchpoint                     | 0–89 → 100, 90–120 → 70, 121–180 → 40, more → 10                          |
//	| DECISION_MAKER_RECENCY | 10     | days since the last touchpoint with a decision maker or champion | as TOUCHPOINT_RECENCY                                       |
//	| STACK_STANDARDIZATION  | 10     | stack standardization score 0–100                  | the score itself, rounded half up                                          |
//	| PAYMENT_HEALTH         | 10     | days the oldest unpaid invoice is overdue          | 0 or less → 100, up to 30 → 70, up to 60 → 40, more → 10                  |
//	| RENEWAL_PROXIMITY      | 5      | days until the nearest renewal of an ACTIVE contract | more than 180 → 100, 91–180 → 80, 31–90 → 50, 30 or less → 30; +20 when that contract auto-renews |
//	| EMPLOYEE_GROWTH        | 5      | percentage change of the employee count over a year | 0 or more → 100, down to −10 → 70, down to −25 → 40, below −25 → 10      |
//
// Every result is clamped to 0–100 (OPEN_TICKETS 3 or more and old is 10;
// RENEWAL_PROXIMITY more than 180 with auto-renewal stays 100).
//
// Details of the inputs:
//   - OPEN_TICKETS: the count is the pushed raw value, or details.count when
//     no raw value is sent. A fraction is dropped and a negative count is 0.
//     details.oldestAgeDays gives the age of the oldest open ticket; without
//     it nothing is subtracted.
//   - TOUCHPOINT_RECENCY counts whole days from the account's latest
//     touchpoint that occurred at or before the calculation time.
//     DECISION_MAKER_RECENCY does the same for the touchpoints of the account
//     whose contact is linked to the account with the influence
//     DECISION_MAKER or CHAMPION. An account with no such touchpoint has no
//     data for the signal.
//   - RENEWAL_PROXIMITY uses the earliest renewalDate among the account's
//     ACTIVE contracts (the endDate for a contract without one), counted in
//     whole UTC days from the calculation day; a date already passed counts
//     as 0. When several contracts renew that day, the bonus applies only if
//     all of them auto-renew. No ACTIVE contract with a date means no data.
//   - EMPLOYEE_GROWTH comes only from pushed observations, because Breadbox
//     keeps no history of employee counts.
//
// # Sources
//
// OPEN_TICKETS, CSAT_TREND, UTILIZATION, STACK_STANDARDIZATION,
// PAYMENT_HEALTH and EMPLOYEE_GROWTH come from pushed health signals.
// TOUCHPOINT_RECENCY and DECISION_MAKER_RECENCY come from touchpoints and
// RENEWAL_PROXIMITY from contracts; a pushed observation of one of these
// three is used only when Breadbox has no data of its own (its raw value is
// then the number of days, and details.autoRenew the auto-renewal flag).
//
// The pushed observation used is the latest one per signal that was
// observed at or before the calculation time and has not expired (no
// expiresAt, or one after the calculation time). It gives either a raw value,
// mapped by the rules above, or a sub-score 0–100 used as it is; when it
// gives both, the sub-score wins. An observation with neither counts as no
// data.
//
// A breakdown row names its source as "touchpoints", "contracts",
// "pushed:<tool>" (or "pushed" when the observation names no tool), or
// "no data".
//
// # History
//
// Recalculate stores every calculation as a ChurnRiskSnapshot; none is
// replaced. History returns one point per UTC day: the snapshot with the
// latest calculation time of that day.
package churn

// Signal is the key of one of the nine churn-risk signals.
type Signal string

// The nine signals.
const (
	OpenTickets          Signal = "OPEN_TICKETS"
	CSATTrend            Signal = "CSAT_TREND"
	Utilization          Signal = "UTILIZATION"
	TouchpointRecency    Signal = "TOUCHPOINT_RECENCY"
	DecisionMakerRecency Signal = "DECISION_MAKER_RECENCY"
	StackStandardization Signal = "STACK_STANDARDIZATION"
	PaymentHealth        Signal = "PAYMENT_HEALTH"
	RenewalProximity     Signal = "RENEWAL_PROXIMITY"
	EmployeeGrowth       Signal = "EMPLOYEE_GROWTH"
)

// Signals lists the nine signals in the order a breakdown lists them.
var Signals = []Signal{
	OpenTickets, CSATTrend, Utilization, TouchpointRecency, DecisionMakerRecency,
	StackStandardization, PaymentHealth, RenewalProximity, EmployeeGrowth,
}

// Level is the band a risk score falls in.
type Level string

// The three levels, from safe to at risk.
const (
	LevelLow    Level = "LOW"
	LevelMedium Level = "MEDIUM"
	LevelHigh   Level = "HIGH"
)

// Breakdown sources that are not a pushed tool.
const (
	SourceTouchpoints = "touchpoints"
	SourceContracts   = "contracts"
	SourcePushed      = "pushed"
	SourceNoData      = "no data"
)
