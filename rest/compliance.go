package rest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var complianceSorts = []pagination.Field{
	{Name: "dueDate", Column: complianceitem.FieldDueDate, Nullable: true},
	{Name: "title", Column: complianceitem.FieldTitle},
	createdAtField,
	updatedAtField,
}

var complianceStatuses = []complianceitem.Status{
	complianceitem.StatusNOT_STARTED,
	complianceitem.StatusIN_PROGRESS,
	complianceitem.StatusCOMPLETE,
	complianceitem.StatusNOT_APPLICABLE,
}

func (a *api) listComplianceItems(req *request) (result, error) {
	f := newFilters(req)
	where := complianceFilters(f)
	if status := enumFilter(f, "status", complianceStatuses); status != "" {
		where = append(where, complianceitem.StatusEQ(status))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.ComplianceItemQuery, *ent.ComplianceItem, predicate.ComplianceItem, complianceitem.OrderOption](
		req.ctx(), client.ComplianceItem.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.ComplianceItem), nil
}

// complianceFilters reads the accountId and framework filters.
func complianceFilters(f *filters) []predicate.ComplianceItem {
	var where []predicate.ComplianceItem
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, complianceitem.AccountID(accountID))
	}
	if framework := enumFilter(f, "framework", complianceFrameworks); framework != "" {
		where = append(where, complianceitem.FrameworkEQ(framework))
	}
	return where
}

// complianceStatusJSON is an account's progress on one framework.
type complianceStatusJSON struct {
	AccountID   string `json:"accountId"`
	AccountName string `json:"accountName"`
	Framework   string `json:"framework"`
	// Complete counts the COMPLETE items.
	Complete int `json:"complete"`
	// Applicable counts the items that are not NOT_APPLICABLE.
	Applicable int `json:"applicable"`
	// Percent is Complete ÷ Applicable × 100 with two decimals, rounded half
	// up, or null when no item applies.
	Percent *float64 `json:"percent"`
}

// getComplianceStatus returns, for each account and framework that has
// items, how many applicable items are complete. Rows come sorted by account
// name and then framework in enum order. The list is not paged, because it
// has at most one row per account and framework.
func (a *api) getComplianceStatus(req *request) (result, error) {
	f := newFilters(req)
	where := complianceFilters(f)
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	var counts []struct {
		AccountID string                   `json:"account_id"`
		Framework complianceitem.Framework `json:"framework"`
		Status    complianceitem.Status    `json:"status"`
		Count     int                      `json:"count"`
	}
	err := client.ComplianceItem.Query().
		Where(where...).
		GroupBy(complianceitem.FieldAccountID, complianceitem.FieldFramework, complianceitem.FieldStatus).
		Aggregate(ent.Count()).
		Scan(req.ctx(), &counts)
	if err != nil {
		return result{}, fmt.Errorf("counting the compliance items: %w", err)
	}

	type key struct {
		accountID string
		framework complianceitem.Framework
	}
	rows := map[key]*complianceStatusJSON{}
	var accountIDs []string
	for _, count := range counts {
		k := key{count.AccountID, count.Framework}
		row := rows[k]
		if row == nil {
			row = &complianceStatusJSON{AccountID: count.AccountID, Framework: string(count.Framework)}
			rows[k] = row
			if !slices.Contains(accountIDs, count.AccountID) {
				accountIDs = append(accountIDs, count.AccountID)
			}
		}
		if count.Status != complianceitem.StatusNOT_APPLICABLE {
			row.Applicable += count.Count
		}
		if count.Status == complianceitem.StatusCOMPLETE {
			row.Complete += count.Count
		}
	}

	// The names are read as the system inside the caller's org, because
	// compliance:read, not accounts:read, guards this report.
	accounts, err := client.Account.Query().
		Where(account.IDIn(accountIDs...)).
		Select(account.FieldID, account.FieldName).
		All(orgSystemContext(req))
	if err != nil {
		return result{}, fmt.Errorf("loading the names of the accounts: %w", err)
	}
	names := make(map[string]string, len(accounts))
	for _, found := range accounts {
		names[found.ID] = found.Name
	}

	statuses := make([]complianceStatusJSON, 0, len(rows))
	for _, row := range rows {
		row.AccountName = names[row.AccountID]
		row.Percent = percentOf(row.Complete, row.Applicable)
		statuses = append(statuses, *row)
	}
	slices.SortFunc(statuses, func(x, y complianceStatusJSON) int {
		if byName := strings.Compare(x.AccountName, y.AccountName); byName != 0 {
			return byName
		}
		if byID := strings.Compare(x.AccountID, y.AccountID); byID != 0 {
			return byID
		}
		return slices.Index(complianceFrameworks, complianceitem.Framework(x.Framework)) -
			slices.Index(complianceFrameworks, complianceitem.Framework(y.Framework))
	})
	return result{status: http.StatusOK, data: statuses, list: true}, nil
}

// percentOf returns part ÷ whole × 100 rounded half up to two decimals, or
// nil when whole is 0. It computes in integers, so 1 of 3 is exactly 33.33
// and 2 of 3 is 66.67.
func percentOf(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	// Hundredths of a percent: part × 10,000 ÷ whole, rounded half up as
	// (2 × part × 10,000 + whole) ÷ (2 × whole).
	hundredths := (int64(part)*20_000 + int64(whole)) / (2 * int64(whole))
	percent := float64(hundredths) / 100
	return &percent
}
