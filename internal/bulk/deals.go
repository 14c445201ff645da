package bulk

import (
	"context"
	"fmt"
	"github.com/breadbox/breadbox/internal/rules"
	"slices"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/pipelinestage"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/money"
)

// DealItem is one deal of a bulk create. name and accountId are required;
// stage defaults to the first stage of the org's pipeline and probability to
// the stage's default.
type DealItem struct {
	Name              Optional[string]      `json:"name,omitzero"`
	AccountID         Optional[string]      `json:"accountId,omitzero"`
	Stage             Optional[string]      `json:"stage,omitzero"`
	Type              Optional[deal.Type]   `json:"type,omitzero"`
	EstimatedMrr      Optional[money.Cents] `json:"estimatedMrr,omitzero"`
	Probability       Optional[int]         `json:"probability,omitzero"`
	OwnerID           Optional[string]      `json:"ownerId,omitzero"`
	ExpectedCloseDate Optional[string]      `json:"expectedCloseDate,omitzero"`
	LossReason        Optional[string]      `json:"lossReason,omitzero"`
}

// Validate checks the item on its own, without the database. Paths are
// relative to the item, such as ["estimatedMrr"].
func (item DealItem) Validate() []apierr.Detail {
	var c checker
	if !item.Name.Present {
		c.add("name", "is required")
	}
	c.required("name", item.Name, maxName)
	if !item.AccountID.Present {
		c.add("accountId", "is required")
	}
	c.reference("accountId", item.AccountID, id.Account, false)
	if item.Stage.Present && item.Stage.Null {
		c.add("stage", "must not be null; leave it out for the first stage of the pipeline")
	}
	enum(&c, "type", item.Type, false, deal.TypeNEW_LOGO, deal.TypeEXPANSION, deal.TypeRENEWAL)
	c.money("estimatedMrr", item.EstimatedMrr)
	c.intRange("probability", item.Probability, 0, 100)
	c.reference("ownerId", item.OwnerID, id.User, true)
	c.date("expectedCloseDate", item.ExpectedCloseDate)
	c.text("lossReason", item.LossReason, maxName)
	return c.details
}

// DealResult is the outcome of one item, in input order.
type DealResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action Action `json:"action"`
	// Deal is the row as stored.
	Deal *ent.Deal `json:"-"`
}

// DealsResult is the response of a bulk deal create. Updated is always 0; it
// is there so every bulk response has the same shape.
type DealsResult struct {
	Created int          `json:"created"`
	Updated int          `json:"updated"`
	Total   int          `json:"total"`
	Results []DealResult `json:"results"`
}

// CreateDeals creates deals in the caller's org, in one transaction (the
// request's, when ctx carries one). It returns a validation_error listing
// every problem when any item is invalid, and then writes nothing.
func CreateDeals(ctx context.Context, client *ent.Client, items []DealItem) (*DealsResult, error) {
	if err := checkSize("deals", len(items)); err != nil {
		return nil, err
	}
	orgID, err := callerOrg(ctx)
	if err != nil {
		return nil, err
	}

	var found problems
	for i, item := range items {
		found.addItem("deals", i, item.Validate())
	}

	var result *DealsResult
	err = database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		if err := checkDealReferences(ctx, tx, orgID, items, &found); err != nil {
			return err
		}
		if err := found.err(); err != nil {
			return err
		}
		// The stage hook reads the pipeline from the context instead of once
		// per deal.
		stages, err := rules.Pipeline(ctx, tx, orgID)
		if err != nil {
			return err
		}
		writeCtx := rules.WithPipeline(withCheckedReferences(ctx, orgID, dealReferences(items)), orgID, stages)
		result, err = writeDeals(writeCtx, tx, items)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// checkDealReferences checks, in one query per entity type, that every
// account and owner exists in the org and that every stage is one of the
// org's pipeline.
func checkDealReferences(ctx context.Context, tx *ent.Client, orgID string, items []DealItem, found *problems) error {
	var ids []string
	for _, item := range items {
		if item.AccountID.Set() && id.HasPrefix(item.AccountID.Value, id.Account) {
			ids = append(ids, item.AccountID.Value)
		}
		if item.OwnerID.Set() && id.HasPrefix(item.OwnerID.Value, id.User) {
			ids = append(ids, item.OwnerID.Value)
		}
	}
	exists, err := existingSet(ctx, tx, orgID, ids)
	if err != nil {
		return err
	}
	stages, err := tx.PipelineStage.Query().
		Where(pipelinestage.OrgID(orgID)).
		Order(ent.Asc(pipelinestage.FieldPosition)).
		Select(pipelinestage.FieldKey).
		Strings(ctx)
	if err != nil {
		return fmt.Errorf("loading the pipeline stages: %w", err)
	}

	for i, item := range items {
		if item.AccountID.Set() && id.HasPrefix(item.AccountID.Value, id.Account) && !exists[item.AccountID.Value] {
			found.add([]any{"deals", i, "accountId"}, "refers to %s, which was not found in this org", item.AccountID.Value)
		}
		if item.OwnerID.Set() && id.HasPrefix(item.OwnerID.Value, id.User) && !exists[item.OwnerID.Value] {
			found.add([]any{"deals", i, "ownerId"}, "refers to %s, which was not found in this org", item.OwnerID.Value)
		}
		if item.Stage.Set() && !slices.Contains(stages, item.Stage.Value) {
			found.add([]any{"deals", i, "stage"}, "%q is not a stage of this org's pipeline; use one of %s", item.Stage.Value, strings.Join(stages, ", "))
		}
	}
	return nil
}

// writeDeals inserts the deals in one statement.
func writeDeals(ctx context.Context, tx *ent.Client, items []DealItem) (*DealsResult, error) {
	builders := make([]*ent.DealCreate, len(items))
	for i, item := range items {
		create := tx.Deal.Create().
			SetName(item.Name.Value).
			SetAccountID(item.AccountID.Value)
		if item.Stage.Set() {
			create.SetStage(item.Stage.Value)
		}
		if item.Type.Set() {
			create.SetType(item.Type.Value)
		}
		if item.EstimatedMrr.Set() {
			create.SetEstimatedMrr(item.EstimatedMrr.Value)
		}
		if item.Probability.Set() {
			create.SetProbability(item.Probability.Value)
		}
		if item.OwnerID.Set() {
			create.SetOwnerID(item.OwnerID.Value)
		}
		if item.ExpectedCloseDate.Set() {
			create.SetExpectedCloseDate(item.ExpectedCloseDate.Value)
		}
		if item.LossReason.Set() {
			create.SetLossReason(item.LossReason.Value)
		}
		builders[i] = create
	}

	result := &DealsResult{Created: len(items), Total: len(items), Results: make([]DealResult, len(items))}
	if len(builders) == 0 {
		return result, nil
	}
	rows, err := tx.Deal.CreateBulk(builders...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("inserting %d deals: %w", len(builders), err)
	}
	for i, row := range rows {
		result.Results[i] = DealResult{ID: row.ID, Name: row.Name, Action: ActionCreated, Deal: row}
	}
	return result, nil
}

// dealReferences lists the accounts and owners the deals point to.
func dealReferences(items []DealItem) []string {
	var ids []string
	for _, item := range items {
		ids = append(ids, item.AccountID.Value)
		if item.OwnerID.Set() {
			ids = append(ids, item.OwnerID.Value)
		}
	}
	return unique(ids)
}
