package rules

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/internal/auth"
)

// DefaultStage is one stage of the pipeline every new org starts with.
type DefaultStage struct {
	Key         string
	Name        string
	Probability int
	Won, Lost   bool
}

// DefaultPipeline lists the nine stages of a new org, in order.
var DefaultPipeline = []DefaultStage{
	{Key: "PROSPECT", Name: "Prospect", Probability: 10},
	{Key: "DISCOVERY", Name: "Discovery", Probability: 20},
	{Key: "TECHNOLOGY_ASSESSMENT", Name: "Technology assessment", Probability: 35},
	{Key: "PROPOSAL_SENT", Name: "Proposal sent", Probability: 50},
	{Key: "NEGOTIATION", Name: "Negotiation", Probability: 60},
	{Key: "LEGAL_REVIEW", Name: "Legal review", Probability: 65},
	{Key: "VERBAL_COMMIT", Name: "Verbal commit", Probability: 85},
	{Key: "CLOSED_WON", Name: "Closed won", Probability: 100, Won: true},
	{Key: "CLOSED_LOST", Name: "Closed lost", Probability: 0, Lost: true},
}

// OrgPipeline creates the default pipeline stages with every new org, in the
// org's transaction.
func OrgPipeline() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.OrgFunc(func(ctx context.Context, m *ent.OrgMutation) (entgo.Value, error) {
			value, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			org, ok := value.(*ent.Org)
			if !ok {
				return value, nil
			}

			builders := make([]*ent.PipelineStageCreate, len(DefaultPipeline))
			for i, stage := range DefaultPipeline {
				builders[i] = m.Client().PipelineStage.Create().
					SetOrgID(org.ID).
					SetKey(stage.Key).
					SetName(stage.Name).
					SetPosition(i).
					SetProbability(stage.Probability).
					SetIsWon(stage.Won).
					SetIsLost(stage.Lost)
			}
			if err := m.Client().PipelineStage.CreateBulk(builders...).Exec(auth.SystemContext(ctx, org.ID)); err != nil {
				return nil, fmt.Errorf("creating the default pipeline of org %s: %w", org.ID, err)
			}
			return value, nil
		})
	}, entgo.OpCreate)
}
