package icp

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/internal/apierr"
)

func text(value string) *string { return &value }
func count(value int) *int      { return &value }

func TestScore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		prospect Lead
		want     []int // points per factor, in breakdown order
	}{
		{
			"ideal healthcare referral",
			Lead{Industry: text("Healthcare"), EmployeeCount: count(40), ITStaffCount: count(0), Source: lead.SourceREFERRAL},
			[]int{30, 25, 20, 15, 10},
		},
		{
			// 300 ÷ 3 = 100 employees per IT staff member, above 50.
			"large manufacturer",
			Lead{Industry: text("Manufacturing"), EmployeeCount: count(300), ITStaffCount: count(3), Source: lead.SourceWEBSITE},
			[]int{30, 0, 20, 0, 0},
		},
		{
			// 50 ÷ 4 = 12.5; 20 × 7.5 ÷ 45 = 3.33.
			"retail partner lead",
			Lead{Industry: text("Retail"), EmployeeCount: count(50), ITStaffCount: count(4), Source: lead.SourcePARTNER},
			[]int{0, 25, 3, 0, 10},
		},
		{
			"nothing known",
			Lead{Source: lead.SourceOTHER},
			[]int{0, 0, 0, 0, 0},
		},
		{
			// 10 ÷ 2 = 5, the bottom of the curve; 10 is the band's lower bound.
			"industry spelled loosely",
			Lead{Industry: text("  Financial   SERVICES "), EmployeeCount: count(10), ITStaffCount: count(2), Source: lead.SourceEVENT},
			[]int{30, 25, 0, 15, 0},
		},
		{
			"band upper bound without IT count",
			Lead{Industry: text("dental"), EmployeeCount: count(250), Source: lead.SourceOUTBOUND},
			[]int{30, 25, 0, 15, 0},
		},
		{
			// 9 ÷ 1 = 9; 20 × 4 ÷ 45 = 1.78.
			"below the band",
			Lead{Industry: text("Legal"), EmployeeCount: count(9), ITStaffCount: count(1), Source: lead.SourceREFERRAL},
			[]int{30, 0, 2, 15, 10},
		},
		{
			"no IT staff and no employee count",
			Lead{Industry: text("Accounting"), ITStaffCount: count(0), Source: lead.SourcePARTNER},
			[]int{30, 0, 20, 15, 10},
		},
		{
			"IT staff without employee count",
			Lead{Industry: text("Accounting"), ITStaffCount: count(2), Source: lead.SourceWEBSITE},
			[]int{30, 0, 0, 15, 0},
		},
		{
			"just above the band",
			Lead{Industry: text("Construction"), EmployeeCount: count(251), ITStaffCount: count(5), Source: lead.SourceOTHER},
			[]int{0, 0, 20, 0, 0},
		},
	}
	factors := []Factor{FactorIndustry, FactorEmployeeCount, FactorITStaffRatio, FactorCompliance, FactorSource}
	maximums := []int{30, 25, 20, 15, 10}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			result := Score(tc.prospect, DefaultTargets())

			wantScore := 0
			require.Len(t, result.Breakdown, len(factors))
			for i, factor := range result.Breakdown {
				require.Equal(t, factors[i], factor.Factor)
				require.Equal(t, maximums[i], factor.Max, "max of %s", factor.Factor)
				require.Equal(t, tc.want[i], factor.Points, "points of %s (%s)", factor.Factor, factor.Reason)
				require.NotEmpty(t, factor.Reason, "reason of %s", factor.Factor)
				wantScore += tc.want[i]
			}
			require.Equal(t, wantScore, result.Score)
		})
	}
}

func TestScoreWithCustomTargets(t *testing.T) {
	t.Parallel()
	targets := Targets{
		Industries:           []string{"Construction", "Architecture"},
		EmployeeMin:          5,
		EmployeeMax:          20,
		ComplianceIndustries: []string{"architecture"},
	}

	construction := Score(Lead{Industry: text("construction"), EmployeeCount: count(20), ITStaffCount: count(0), Source: lead.SourceOTHER}, targets)
	require.Equal(t, 30+25+20, construction.Score)

	healthcare := Score(Lead{Industry: text("Healthcare"), EmployeeCount: count(40), Source: lead.SourceREFERRAL}, targets)
	require.Equal(t, 10, healthcare.Score, "healthcare is no target and not compliance-driven here")

	architecture := Score(Lead{Industry: text("ARCHITECTURE"), EmployeeCount: count(4), Source: lead.SourceOTHER}, targets)
	require.Equal(t, 30+15, architecture.Score)
}

func TestITStaffRatioPoints(t *testing.T) {
	t.Parallel()
	cases := []struct {
		employees, itStaff, want int
	}{
		{100, 4, 9}, // ratio 25: 20 × 20 ÷ 45 = 8.89
		{49, 8, 1},  // ratio 6.125: exactly 0.5 points, rounded up
		{27, 1, 10}, // ratio 27: 20 × 22 ÷ 45 = 9.78
		{28, 2, 4},  // ratio 14: exactly 4
		{50, 1, 20}, // ratio 50, the top of the curve
		{49, 1, 20}, // ratio 49: 19.56
		{500, 10, 20},
		{6, 1, 0}, // ratio 6: 0.44
		{5, 1, 0}, // ratio 5, the bottom of the curve
		{0, 3, 0},
		{1000, 0, 20}, // no internal IT
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, ITStaffRatioPoints(tc.employees, tc.itStaff), "%d employees, %d IT staff", tc.employees, tc.itStaff)
	}
}

func TestScoreStaysWithinRange(t *testing.T) {
	t.Parallel()
	sources := []lead.Source{lead.SourceREFERRAL, lead.SourceWEBSITE, lead.SourceEVENT, lead.SourceOUTBOUND, lead.SourcePARTNER, lead.SourceOTHER}
	for employees := 0; employees <= 600; employees += 7 {
		for itStaff := 0; itStaff <= 40; itStaff += 3 {
			for _, source := range sources {
				result := Score(Lead{Industry: text("healthcare"), EmployeeCount: count(employees), ITStaffCount: count(itStaff), Source: source}, DefaultTargets())
				require.GreaterOrEqual(t, result.Score, 0)
				require.LessOrEqual(t, result.Score, 100)
			}
		}
	}
}

func TestTargetsValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, DefaultTargets().Validate())
	require.NoError(t, Targets{EmployeeMin: 0, EmployeeMax: 0}.Validate(), "empty lists and a one-value band are valid")

	invalid := Targets{
		Industries:           []string{"", "Legal", "legal "},
		EmployeeMin:          -1,
		EmployeeMax:          -5,
		ComplianceIndustries: []string{strings.Repeat("x", 256)},
	}
	err := invalid.Validate()
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)

	paths := make([]string, len(apiErr.Details))
	for i, detail := range apiErr.Details {
		paths[i] = apierr.FormatPath(detail.Path)
	}
	require.Equal(t, []string{"industries[0]", "industries[2]", "complianceIndustries[0]", "employeeMin", "employeeMax"}, paths)
	require.Equal(t, `repeats industries[1] ("Legal")`, apiErr.Details[1].Message)
	require.Equal(t, "must be at least employeeMin (-1), got -5", apiErr.Details[4].Message)
}

func TestTargetsValidateBoundsTheLists(t *testing.T) {
	t.Parallel()
	industries := make([]string, maxIndustries+1)
	for i := range industries {
		industries[i] = "industry " + strings.Repeat("i", i+1)
	}
	err := Targets{Industries: industries, EmployeeMax: 10}.Validate()
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Len(t, apiErr.Details, 1)
	require.Equal(t, []any{"industries"}, apiErr.Details[0].Path)
}

func TestTargetsValidateBoundsTheBand(t *testing.T) {
	t.Parallel()
	// A band beyond 2^53 would not read back from its JSON.
	err := Targets{EmployeeMin: 0, EmployeeMax: math.MaxInt64}.Validate()
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, []any{"employeeMax"}, apiErr.Details[0].Path)

	err = Targets{EmployeeMin: MaxEmployees + 1, EmployeeMax: MaxEmployees + 2}.Validate()
	apiErr, ok = apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Len(t, apiErr.Details, 2)
	require.NoError(t, Targets{EmployeeMin: MaxEmployees, EmployeeMax: MaxEmployees}.Validate())
}
