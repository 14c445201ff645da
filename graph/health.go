package graph

import (
	"context"
	"fmt"

	"github.com/breadbox/breadbox/graph/model"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/webhook"
)

// Helpers of health.resolvers.go. gqlgen comments out every function of a
// resolver file that is not a resolver, so they live here.

// maxHistoryDays bounds the days argument of ChurnRisk.history.
const maxHistoryDays = 366

// historyDays returns the days argument of ChurnRisk.history, or the
// default of 90 days.
func historyDays(days *int) int {
	if days == nil {
		return churn.DefaultHistoryDays
	}
	return *days
}

func pointers[T any](values []T) []*T {
	result := make([]*T, len(values))
	for i := range values {
		result[i] = &values[i]
	}
	return result
}

// requireScopes returns insufficient_scope naming the first scope the
// caller's key lacks. The fields of health.graphqls read computed data as the
// system, so the tenant policy does not check these scopes for them.
func requireScopes(ctx context.Context, scopes ...auth.Scope) error {
	principal := auth.FromContext(ctx)
	for _, scope := range scopes {
		if !principal.Grants(scope) {
			return apierr.MissingScope(string(scope))
		}
	}
	return nil
}

// settingsOf turns the settings input into churn settings and rejects a
// signal listed twice. Settings.Validate checks the rest when they are saved.
func settingsOf(input model.ChurnRiskSettingsInput) (churn.Settings, error) {
	settings := churn.Settings{Weights: make(map[churn.Signal]int, len(input.Weights))}
	if input.Thresholds != nil {
		settings.Thresholds = *input.Thresholds
	}
	var details []apierr.Detail
	for i, entry := range input.Weights {
		if _, repeated := settings.Weights[entry.Key]; repeated {
			details = append(details, apierr.Detail{Path: []any{"weights", i, "key"}, Message: fmt.Sprintf("repeats %s; list each signal once", entry.Key)})
			continue
		}
		settings.Weights[entry.Key] = entry.Weight
	}
	if len(details) > 0 {
		return churn.Settings{}, apierr.Validation(details...)
	}
	return settings, nil
}

// webhookManager checks webhooks:write and returns a webhook manager over the
// request's client, so its writes join the mutation's transaction, with the
// caller's org.
func (r *Resolver) webhookManager(ctx context.Context) (*webhook.Manager, string, error) {
	if err := requireScopes(ctx, auth.WebhooksWrite); err != nil {
		return nil, "", err
	}
	return webhook.NewManager(r.client(ctx), r.Webhooks), auth.FromContext(ctx).OrgID, nil
}
