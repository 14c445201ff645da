package rules

import (
	"context"
	"fmt"
	"strings"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/ent/pipelinestage"
	"github.com/breadbox/breadbox/ent/privacy"
	"github.com/breadbox/breadbox/internal/apierr"
)

// DealStage validates a deal's stage against the org's pipeline and applies the
// side effects of a stage move: the stage's default probability unless one is
// given, closedAt set on entering a Won or Lost stage and cleared on leaving
// one, and a PROSPECT or ASSESSMENT account moved to ONBOARDING on a win.
func DealStage() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.DealFunc(func(ctx context.Context, m *ent.DealMutation) (entgo.Value, error) {
			stageKey, changed := m.Stage()
			creating := m.Op().Is(entgo.OpCreate)
			if !changed && !creating {
				return next.Mutate(ctx, m)
			}

			orgID, err := dealOrg(ctx, m)
			if err != nil {
				return nil, err
			}
			stages, err := pipelineOf(ctx, m.Client(), orgID)
			if err != nil {
				return nil, err
			}
			if len(stages) == 0 {
				return nil, apierr.Invalid("stage", "this org has no pipeline stages; create them first")
			}

			if !changed {
				stageKey = stages[0].Key
				m.SetStage(stageKey)
			}
			stage := findStage(stages, stageKey)
			if stage == nil {
				return nil, UnknownStage(stages, stageKey)
			}

			var previous *ent.PipelineStage
			if !creating {
				oldKey, err := m.OldStage(ctx)
				if err != nil {
					return nil, fmt.Errorf("reading the deal's stage: %w", err)
				}
				if oldKey == stageKey {
					return next.Mutate(ctx, m)
				}
				previous = findStage(stages, oldKey)
			}

			if _, set := m.Probability(); !set && !m.ProbabilityCleared() {
				m.SetProbability(stage.Probability)
			}
			closed := stage.IsWon || stage.IsLost
			switch {
			case closed:
				m.SetClosedAt(now())
			case previous != nil && (previous.IsWon || previous.IsLost):
				m.ClearClosedAt()
			}

			value, err := next.Mutate(ctx, m)
			if err != nil || !stage.IsWon {
				return value, err
			}
			return value, startOnboarding(ctx, m, value)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne)
}

type pipelineKey struct{}

type preloadedPipeline struct {
	orgID  string
	stages []*ent.PipelineStage
}

// WithPipeline returns a context that carries an org's pipeline stages, in
// order, so a batch of deals loads them once instead of once per deal.
func WithPipeline(ctx context.Context, orgID string, stages []*ent.PipelineStage) context.Context {
	return context.WithValue(ctx, pipelineKey{}, preloadedPipeline{orgID: orgID, stages: stages})
}

// Pipeline loads an org's pipeline stages in order.
func Pipeline(ctx context.Context, client *ent.Client, orgID string) ([]*ent.PipelineStage, error) {
	stages, err := client.PipelineStage.Query().
		Where(pipelinestage.OrgID(orgID)).
		Order(ent.Asc(pipelinestage.FieldPosition)).
		All(privacy.DecisionContext(ctx, privacy.Allow))
	if err != nil {
		return nil, fmt.Errorf("loading the pipeline stages: %w", err)
	}
	return stages, nil
}

func pipelineOf(ctx context.Context, client *ent.Client, orgID string) ([]*ent.PipelineStage, error) {
	if preloaded, ok := ctx.Value(pipelineKey{}).(preloadedPipeline); ok && preloaded.orgID == orgID {
		return preloaded.stages, nil
	}
	return Pipeline(ctx, client, orgID)
}

// UnknownStage returns the validation error for a stage key that is not one of
// the org's stages, listing the valid keys.
func UnknownStage(stages []*ent.PipelineStage, key string) error {
	keys := make([]string, len(stages))
	for i, stage := range stages {
		keys[i] = stage.Key
	}
	return apierr.Invalid("stage", "%q is not a stage of this org's pipeline; use one of %s", key, strings.Join(keys, ", "))
}

func dealOrg(ctx context.Context, m *ent.DealMutation) (string, error) {
	if orgID, ok := m.OrgID(); ok {
		return orgID, nil
	}
	orgID, err := m.OldOrgID(ctx)
	if err != nil {
		return "", fmt.Errorf("reading the deal's org: %w", err)
	}
	return orgID, nil
}

func findStage(stages []*ent.PipelineStage, key string) *ent.PipelineStage {
	for _, stage := range stages {
		if stage.Key == key {
			return stage
		}
	}
	return nil
}

// startOnboarding moves the won deal's account from PROSPECT or ASSESSMENT to
// ONBOARDING, in the same transaction as the deal.
func startOnboarding(ctx context.Context, m *ent.DealMutation, value entgo.Value) error {
	won, ok := value.(*ent.Deal)
	if !ok {
		return nil
	}
	_, err := m.Client().Account.Update().
		Where(
			account.ID(won.AccountID),
			account.LifecycleStatusIn(account.LifecycleStatusPROSPECT, account.LifecycleStatusASSESSMENT),
		).
		SetLifecycleStatus(account.LifecycleStatusONBOARDING).
		Save(privacy.DecisionContext(ctx, privacy.Allow))
	if err != nil {
		return fmt.Errorf("moving the account of won deal %s to ONBOARDING: %w", won.ID, err)
	}
	return nil
}
