package mrr

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/money"
)

// Categories lists the ten service categories in the order Summary returns
// them, which is the order of the ServiceLine category enum.
var Categories = []serviceline.Category{
	serviceline.CategoryMANAGED_SERVICES,
	serviceline.CategorySECURITY,
	serviceline.CategoryBACKUP_DR,
	serviceline.CategoryCLOUD,
	serviceline.CategoryVOIP,
	serviceline.CategoryCONNECTIVITY,
	serviceline.CategoryHARDWARE_AS_A_SERVICE,
	serviceline.CategoryPROFESSIONAL_SERVICES,
	serviceline.CategoryLICENSING,
	serviceline.CategoryOTHER,
}

// OrgSummary is an org's recurring revenue: the total and one row per
// service category.
type OrgSummary struct {
	TotalMRR money.Cents `json:"totalMrr"`
	// ARR is TotalMRR × 12.
	ARR        money.Cents       `json:"arr"`
	Categories []CategorySummary `json:"categories"`
}

// CategorySummary is the recurring revenue of one service category.
type CategorySummary struct {
	Category serviceline.Category `json:"category"`
	MRR      money.Cents          `json:"mrr"`
	// ARR is MRR × 12.
	ARR money.Cents `json:"arr"`
	// Share is the category's percentage of the org's total MRR with two
	// decimals. The shares of all categories add up to exactly 100.00, or
	// are all 0 when the total is 0 or less.
	Share float64 `json:"share"`
	// Accounts is the number of distinct accounts whose MRR in this category
	// is greater than zero.
	Accounts int `json:"accounts"`
}

// Summary returns the org's MRR and ARR with a row for each of the ten
// service categories, in the order of Categories and with zero rows
// included. It counts the service lines of ACTIVE contracts and reads them
// as the system, because the mrr:read scope, not contracts:read, guards the
// summary. A principal of another org gets not_found.
//
// Shares are split with the largest-remainder method. Each category first
// gets its exact share in hundredths of a percent, rounded down. The
// hundredths left over then go one each to the categories with the largest
// remainders, and a tie goes to the category listed first.
func Summary(ctx context.Context, client *ent.Client, orgID string) (OrgSummary, error) {
	principal := auth.FromContext(ctx)
	if principal != nil && principal.OrgID != "" && principal.OrgID != orgID {
		return OrgSummary{}, apierr.NotFoundf("org %s was not found", orgID)
	}
	scope := auth.SystemContext(ctx, orgID)

	contracts, err := client.Contract.Query().
		Where(contract.OrgID(orgID), contract.StatusEQ(contract.StatusACTIVE)).
		WithServiceLines().
		All(scope)
	if err != nil {
		return OrgSummary{}, fmt.Errorf("loading the active contracts of org %s: %w", orgID, err)
	}

	byCategory := make(map[serviceline.Category]money.Cents, len(Categories))
	byAccount := make(map[serviceline.Category]map[string]money.Cents, len(Categories))
	for _, active := range contracts {
		for _, line := range active.Edges.ServiceLines {
			amount := ServiceLineMRR(line.Quantity, line.UnitPrice, line.BillingFrequency)
			byCategory[line.Category] += amount
			if byAccount[line.Category] == nil {
				byAccount[line.Category] = make(map[string]money.Cents)
			}
			byAccount[line.Category][active.AccountID] += amount
		}
	}

	summary := OrgSummary{Categories: make([]CategorySummary, len(Categories))}
	amounts := make([]money.Cents, len(Categories))
	for i, category := range Categories {
		amounts[i] = byCategory[category]
		summary.TotalMRR += amounts[i]

		accounts := 0
		for _, amount := range byAccount[category] {
			if amount > 0 {
				accounts++
			}
		}
		summary.Categories[i] = CategorySummary{
			Category: category,
			MRR:      amounts[i],
			ARR:      ARR(amounts[i]),
			Accounts: accounts,
		}
	}
	summary.ARR = ARR(summary.TotalMRR)

	for i, hundredths := range SplitPercent(amounts) {
		summary.Categories[i].Share = float64(hundredths) / 100
	}
	return summary, nil
}

// SplitPercent returns each amount's share of their sum in hundredths of a
// percent, by the largest-remainder method, so the shares add up to exactly
// 10,000 (100.00 %). When the sum is 0 or less every share is 0. A negative
// amount, such as a category of credits, gets a negative share.
func SplitPercent(amounts []money.Cents) []int64 {
	shares := make([]int64, len(amounts))
	total := new(big.Int)
	for _, amount := range amounts {
		total.Add(total, big.NewInt(int64(amount)))
	}
	if total.Sign() <= 0 {
		return shares
	}

	// Exact share = amount × 10,000 ÷ total. Euclidean division floors it
	// and keeps every remainder in [0, total), so they compare directly.
	remainders := make([]*big.Int, len(amounts))
	assigned := int64(0)
	for i, amount := range amounts {
		scaled := new(big.Int).Mul(big.NewInt(int64(amount)), big.NewInt(10_000))
		quotient, remainder := new(big.Int).DivMod(scaled, total, new(big.Int))
		shares[i] = quotient.Int64()
		remainders[i] = remainder
		assigned += shares[i]
	}

	order := make([]int, len(amounts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return remainders[order[a]].Cmp(remainders[order[b]]) > 0
	})
	for _, i := range order[:10_000-assigned] {
		shares[i]++
	}
	return shares
}
