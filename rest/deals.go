package rest

import (
	"fmt"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/pipelinestage"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/rules"
)

var dealSorts = []pagination.Field{
	{Name: "name", Column: deal.FieldName},
	{Name: "estimatedMrr", Column: deal.FieldEstimatedMrr, Nullable: true},
	{Name: "probability", Column: deal.FieldProbability, Nullable: true},
	{Name: "expectedCloseDate", Column: deal.FieldExpectedCloseDate, Nullable: true},
	{Name: "closedAt", Column: deal.FieldClosedAt, Nullable: true},
	createdAtField,
	updatedAtField,
}

var dealTypes = []deal.Type{deal.TypeNEW_LOGO, deal.TypeEXPANSION, deal.TypeRENEWAL}

var dealReadOnly = []string{"id", "closedAt", "createdAt", "updatedAt"}

// maxStageKeyLength is the limit of a stage key, as the schema stores it.
const maxStageKeyLength = 64

func (a *api) listDeals(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Deal
	stage := f.text("stage")
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, deal.AccountID(accountID))
	}
	if ownerID := f.id("ownerId", id.User); ownerID != "" {
		where = append(where, deal.OwnerID(ownerID))
	}
	if dealType := enumFilter(f, "type", dealTypes); dealType != "" {
		where = append(where, deal.TypeEQ(dealType))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	if stage != "" {
		if err := a.checkStage(req, client, stage); err != nil {
			return result{}, err
		}
		where = append(where, deal.Stage(stage))
	}

	page, err := pagination.Paginate[*ent.DealQuery, *ent.Deal, predicate.Deal, deal.OrderOption](
		req.ctx(), client.Deal.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Deal), nil
}

// checkStage returns the validation error listing the org's stages when key
// is not one of them.
func (a *api) checkStage(req *request, client *ent.Client, key string) error {
	stages, err := client.PipelineStage.Query().
		Order(ent.Asc(pipelinestage.FieldPosition)).
		All(req.ctx())
	if err != nil {
		return fmt.Errorf("loading the pipeline stages: %w", err)
	}
	for _, stage := range stages {
		if stage.Key == key {
			return nil
		}
	}
	return rules.UnknownStage(stages, key)
}

func (a *api) getDeal(req *request) (result, error) {
	found, err := getNode[*ent.Deal](a, req, id.Deal)
	if err != nil {
		return result{}, err
	}
	return ok(render.Deal(found)), nil
}

func (a *api) createDeal(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(dealReadOnly...)
	fields := readDeal(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateDealInput{Name: fields.name.V, AccountID: fields.accountID.V}
	setOptional(&input.Stage, fields.stage)
	setOptional(&input.Type, fields.dealType)
	setOptional(&input.EstimatedMrr, fields.estimatedMrr)
	setOptional(&input.Probability, fields.probability)
	setOptional(&input.ExpectedCloseDate, fields.expectedCloseDate)
	setOptional(&input.LossReason, fields.lossReason)
	setOptional(&input.OwnerID, fields.ownerID)

	createdDeal, err := a.resolver.Mutation().CreateDeal(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Deal(createdDeal)), nil
}

// updateDeal updates a deal. A stage move is validated against the org's
// pipeline and stamps closedAt, moves the account to ONBOARDING on a win and
// sets the stage's probability, all in the deal's ent hook.
func (a *api) updateDeal(req *request) (result, error) {
	dealID, err := req.pathID(id.Deal)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(dealReadOnly...)
	fields := readDeal(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	var input ent.UpdateDealInput
	setOptional(&input.Name, fields.name)
	setOptional(&input.AccountID, fields.accountID)
	setOptional(&input.Stage, fields.stage)
	setOptional(&input.Type, fields.dealType)
	patchOptional(&input.EstimatedMrr, &input.ClearEstimatedMrr, fields.estimatedMrr)
	patchOptional(&input.Probability, &input.ClearProbability, fields.probability)
	patchOptional(&input.ExpectedCloseDate, &input.ClearExpectedCloseDate, fields.expectedCloseDate)
	patchOptional(&input.LossReason, &input.ClearLossReason, fields.lossReason)
	patchOptional(&input.OwnerID, &input.ClearOwner, fields.ownerID)

	updated, err := a.resolver.Mutation().UpdateDeal(req.ctx(), dealID, input)
	if err != nil {
		return result{}, err
	}
	return ok(render.Deal(updated)), nil
}

type dealFields struct {
	name              value[string]
	accountID         value[string]
	stage             value[string]
	dealType          value[deal.Type]
	estimatedMrr      value[money.Cents]
	probability       value[int]
	expectedCloseDate value[string]
	lossReason        value[string]
	ownerID           value[string]
}

func readDeal(b *body) dealFields {
	return dealFields{
		name:      text(b, "name", textRule{presence: required}),
		accountID: reference(b, "accountId", required, id.Account),
		// The stage must be a key of the org's pipeline; the deal's hook
		// checks that and lists the valid keys.
		stage:             text(b, "stage", textRule{presence: notNull, max: maxStageKeyLength}),
		dealType:          enum(b, "type", notNull, dealTypes),
		estimatedMrr:      amount(b, "estimatedMrr"),
		probability:       integer(b, "probability", optional, 0, 100),
		expectedCloseDate: date(b, "expectedCloseDate"),
		lossReason:        text(b, "lossReason", textRule{}),
		ownerID:           reference(b, "ownerId", optional, id.User),
	}
}

func (a *api) listStages(req *request) (result, error) {
	client := a.client(req)
	page, err := pagination.Paginate[*ent.PipelineStageQuery, *ent.PipelineStage, predicate.PipelineStage, pipelinestage.OrderOption](
		req.ctx(), client.PipelineStage.Query, nil, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.PipelineStage), nil
}

var stageSorts = []pagination.Field{
	{Name: "position", Column: pipelinestage.FieldPosition},
	createdAtField,
	updatedAtField,
}

// stageDefaultSort lists stages in pipeline order.
var stageDefaultSort = []pagination.Term{{Field: stageSorts[0]}}
