package rest

import (
	"context"
	"fmt"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var contractSorts = []pagination.Field{
	{Name: "name", Column: contract.FieldName},
	{Name: "startDate", Column: contract.FieldStartDate, Nullable: true},
	{Name: "endDate", Column: contract.FieldEndDate, Nullable: true},
	{Name: "renewalDate", Column: contract.FieldRenewalDate, Nullable: true},
	createdAtField,
	updatedAtField,
}

var contractStatuses = []contract.Status{
	contract.StatusDRAFT,
	contract.StatusACTIVE,
	contract.StatusEXPIRED,
	contract.StatusCANCELLED,
}

func (a *api) listContracts(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Contract
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, contract.AccountID(accountID))
	}
	if status := enumFilter(f, "status", contractStatuses); status != "" {
		where = append(where, contract.StatusEQ(status))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.ContractQuery, *ent.Contract, predicate.Contract, contract.OrderOption](
		req.ctx(), client.Contract.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	lines, err := serviceLines(req.ctx(), client, page.Items...)
	if err != nil {
		return result{}, err
	}
	return listOf(page, func(c *ent.Contract) render.ContractJSON { return render.Contract(c, lines[c.ID]) }), nil
}

func (a *api) getContract(req *request) (result, error) {
	found, err := getNode[*ent.Contract](a, req, id.Contract)
	if err != nil {
		return result{}, err
	}
	lines, err := serviceLines(req.ctx(), a.client(req), found)
	if err != nil {
		return result{}, err
	}
	return ok(render.Contract(found, lines[found.ID])), nil
}

// serviceLines loads the service lines of contracts in one query, oldest
// first.
func serviceLines(ctx context.Context, client *ent.Client, contracts ...*ent.Contract) (map[string][]*ent.ServiceLine, error) {
	if len(contracts) == 0 {
		return nil, nil
	}
	ids := make([]string, len(contracts))
	for i, c := range contracts {
		ids[i] = c.ID
	}
	lines, err := client.ServiceLine.Query().
		Where(serviceline.ContractIDIn(ids...)).
		Order(ent.Asc(serviceline.FieldCreatedAt), ent.Asc(serviceline.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the contracts' service lines: %w", err)
	}
	byContract := make(map[string][]*ent.ServiceLine, len(contracts))
	for _, line := range lines {
		byContract[line.ContractID] = append(byContract[line.ContractID], line)
	}
	return byContract, nil
}
