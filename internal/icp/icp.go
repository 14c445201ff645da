// Package icp scores leads against the org's ideal customer profile (ICP):
// the rule, the per-org targets it reads from the org's settings, and the ent
// hook that keeps Lead.icp_score and Lead.icp_breakdown current.
//
// The score is the sum of five factors, 0–100:
//
//	| factor         | points | rule                                                                 |
//	|----------------|--------|----------------------------------------------------------------------|
//	| INDUSTRY       | 30     | the industry is one of the target verticals                          |
//	| EMPLOYEE_COUNT | 25     | the employee count is within the target band, bounds included        |
//	| IT_STAFF_RATIO | 0–20   | employees per internal IT staff member, on the curve below           |
//	| COMPLIANCE     | 15     | the industry is one of the compliance-driven industries              |
//	| SOURCE         | 10     | the lead came through a REFERRAL or a PARTNER                        |
//
// The IT staff curve: an IT staff count of 0 (no internal IT) scores 20
// whatever the employee count. Otherwise the ratio r = employees ÷ IT staff
// scores 20 at r ≥ 50, 0 at r ≤ 5, and 20 × (r − 5) ÷ 45 between, rounded to
// the nearest point with halves up. A lead without an IT staff count, or with
// IT staff but no employee count, scores 0 here.
//
// Industries match case-insensitively after trimming and collapsing runs of
// spaces, so " Financial  Services" matches "financial services". A missing
// industry or employee count scores 0 for the factors that need it.
//
// Defaults: target verticals healthcare, legal, financial services,
// accounting, dental and manufacturing; employee band 10–250;
// compliance-driven industries healthcare, financial services, legal,
// accounting and dental. Each org may change them (see Targets).
package icp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/lead"
)

// Factor names one part of the ICP score.
type Factor string

// The five factors, in the order a breakdown lists them.
const (
	FactorIndustry      Factor = "INDUSTRY"
	FactorEmployeeCount Factor = "EMPLOYEE_COUNT"
	FactorITStaffRatio  Factor = "IT_STAFF_RATIO"
	FactorCompliance    Factor = "COMPLIANCE"
	FactorSource        Factor = "SOURCE"
)

// The maximum points of each factor; they add up to 100.
const (
	MaxIndustry      = 30
	MaxEmployeeCount = 25
	MaxITStaffRatio  = 20
	MaxCompliance    = 15
	MaxSource        = 10
)

// Lead is the part of a lead that the ICP score reads. Nil means not given.
type Lead struct {
	Industry      *string
	EmployeeCount *int
	ITStaffCount  *int
	Source        lead.Source
}

// LeadOf returns the scored fields of a stored lead.
func LeadOf(stored *ent.Lead) Lead {
	return Lead{
		Industry:      stored.Industry,
		EmployeeCount: stored.EmployeeCount,
		ITStaffCount:  stored.ItStaffCount,
		Source:        stored.Source,
	}
}

// Result is an ICP score with the points of each factor.
type Result struct {
	Score     int           `json:"score"`
	Breakdown []FactorScore `json:"breakdown"`
}

// FactorScore is the points one factor gave, out of its maximum, and why.
type FactorScore struct {
	Factor Factor `json:"factor"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
	Reason string `json:"reason"`
}

// Score returns the lead's ICP score against the targets, with a breakdown of
// the five factors in the order of the package table.
func Score(prospect Lead, targets Targets) Result {
	industry := ""
	if prospect.Industry != nil {
		industry = normalizeIndustry(*prospect.Industry)
	}

	breakdown := []FactorScore{
		scoreIndustry(industry, targets),
		scoreEmployeeCount(prospect.EmployeeCount, targets),
		scoreITStaffRatio(prospect.EmployeeCount, prospect.ITStaffCount),
		scoreCompliance(industry, targets),
		scoreSource(prospect.Source),
	}
	result := Result{Breakdown: breakdown}
	for _, factor := range breakdown {
		result.Score += factor.Points
	}
	return result
}

func scoreIndustry(industry string, targets Targets) FactorScore {
	factor := FactorScore{Factor: FactorIndustry, Max: MaxIndustry}
	switch {
	case industry == "":
		factor.Reason = "no industry given"
	case containsIndustry(targets.Industries, industry):
		factor.Points = MaxIndustry
		factor.Reason = fmt.Sprintf("%s is a target vertical", industry)
	default:
		factor.Reason = fmt.Sprintf("%s is not a target vertical", industry)
	}
	return factor
}

func scoreEmployeeCount(employees *int, targets Targets) FactorScore {
	factor := FactorScore{Factor: FactorEmployeeCount, Max: MaxEmployeeCount}
	band := fmt.Sprintf("%d–%d", targets.EmployeeMin, targets.EmployeeMax)
	switch {
	case employees == nil:
		factor.Reason = "no employee count given"
	case *employees >= targets.EmployeeMin && *employees <= targets.EmployeeMax:
		factor.Points = MaxEmployeeCount
		factor.Reason = fmt.Sprintf("%d employees is within the target band %s", *employees, band)
	default:
		factor.Reason = fmt.Sprintf("%d employees is outside the target band %s", *employees, band)
	}
	return factor
}

func scoreITStaffRatio(employees, itStaff *int) FactorScore {
	factor := FactorScore{Factor: FactorITStaffRatio, Max: MaxITStaffRatio}
	switch {
	case itStaff == nil:
		factor.Reason = "no IT staff count given"
	case *itStaff == 0:
		factor.Points = MaxITStaffRatio
		factor.Reason = "no internal IT staff"
	case employees == nil:
		factor.Reason = "no employee count given to compare with the IT staff"
	default:
		factor.Points = ITStaffRatioPoints(*employees, *itStaff)
		factor.Reason = fmt.Sprintf("%.1f employees per IT staff member", float64(*employees)/float64(*itStaff))
	}
	return factor
}

// ITStaffRatioPoints returns the points of the employees-per-IT-staff curve
// for a positive IT staff count: 20 at a ratio of 50 or more, 0 at 5 or less,
// linear between, rounded half up. It computes in integers, so a ratio such
// as 49 ÷ 8 = 6.125, worth exactly 0.5 points, rounds to 1.
func ITStaffRatioPoints(employees, itStaff int) int {
	if itStaff <= 0 {
		return MaxITStaffRatio
	}
	switch {
	case employees >= 50*itStaff:
		return MaxITStaffRatio
	case employees <= 5*itStaff:
		return 0
	}
	// 20 × (E − 5S) ÷ 45S, rounded half up: (2 × 20 × (E − 5S) + 45S) ÷ 90S.
	above := int64(employees) - 5*int64(itStaff)
	scale := 45 * int64(itStaff)
	return int((2*MaxITStaffRatio*above + scale) / (2 * scale))
}

func scoreCompliance(industry string, targets Targets) FactorScore {
	factor := FactorScore{Factor: FactorCompliance, Max: MaxCompliance}
	switch {
	case industry == "":
		factor.Reason = "no industry given"
	case containsIndustry(targets.ComplianceIndustries, industry):
		factor.Points = MaxCompliance
		factor.Reason = fmt.Sprintf("%s is a compliance-driven industry", industry)
	default:
		factor.Reason = fmt.Sprintf("%s is not a compliance-driven industry", industry)
	}
	return factor
}

func scoreSource(source lead.Source) FactorScore {
	factor := FactorScore{Factor: FactorSource, Max: MaxSource}
	switch source {
	case lead.SourceREFERRAL, lead.SourcePARTNER:
		factor.Points = MaxSource
		factor.Reason = fmt.Sprintf("%s is a referral or partner source", source)
	case "":
		factor.Reason = "no source given"
	default:
		factor.Reason = fmt.Sprintf("%s is not a referral or partner source", source)
	}
	return factor
}

// normalizeIndustry returns the form industries are compared in: lower case,
// trimmed, with single spaces.
func normalizeIndustry(industry string) string {
	return strings.Join(strings.Fields(strings.ToLower(industry)), " ")
}

func containsIndustry(list []string, normalized string) bool {
	return slices.ContainsFunc(list, func(candidate string) bool {
		return normalizeIndustry(candidate) == normalized
	})
}

// breakdownJSON returns the breakdown in the shape Lead.icp_breakdown stores.
func breakdownJSON(breakdown []FactorScore) []map[string]any {
	rows := make([]map[string]any, len(breakdown))
	for i, factor := range breakdown {
		rows[i] = map[string]any{
			"factor": string(factor.Factor),
			"points": factor.Points,
			"max":    factor.Max,
			"reason": factor.Reason,
		}
	}
	return rows
}
