package churn_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
)

func ptr[T any](value T) *T { return &value }

func TestSignalInputValidate(t *testing.T) {
	t.Parallel()
	valid := churn.SignalInput{Key: churn.CSATTrend, RawValue: ptr(92.5), Source: "halopsa"}
	require.NoError(t, valid.Validate(now))

	cases := []struct {
		name  string
		edit  func(*churn.SignalInput)
		paths [][]any
	}{
		{"unknown key", func(in *churn.SignalInput) { in.Key = "NPS" }, [][]any{{"key"}}},
		{"both values", func(in *churn.SignalInput) { in.SubScore = ptr(90) }, [][]any{{"rawValue"}}},
		{"no value", func(in *churn.SignalInput) { in.RawValue = nil }, [][]any{{"rawValue"}}},
		{"sub-score 101", func(in *churn.SignalInput) { in.RawValue, in.SubScore = nil, ptr(101) }, [][]any{{"subScore"}}},
		{"NaN", func(in *churn.SignalInput) { in.RawValue = ptr(math.NaN()) }, [][]any{{"rawValue"}}},
		{"infinity", func(in *churn.SignalInput) { in.RawValue = ptr(math.Inf(1)) }, [][]any{{"rawValue"}}},
		{"out of range", func(in *churn.SignalInput) { in.RawValue = ptr(100.01) }, [][]any{{"rawValue"}}},
		{"blank source", func(in *churn.SignalInput) { in.Source = "  " }, [][]any{{"source"}}},
		{"long source", func(in *churn.SignalInput) { in.Source = string(make([]rune, 256)) }, [][]any{{"source"}}},
		{"six minutes ahead", func(in *churn.SignalInput) { in.ObservedAt = ptr(now.Add(6 * time.Minute)) }, [][]any{{"observedAt"}}},
		{"expiry equal to observation", func(in *churn.SignalInput) { in.ObservedAt, in.ExpiresAt = ptr(now), ptr(now) }, [][]any{{"expiresAt"}}},
		{"renewal flag not boolean", func(in *churn.SignalInput) {
			in.Key, in.RawValue, in.Details = churn.RenewalProximity, ptr(30.0), map[string]any{"autoRenew": "yes"}
		}, [][]any{{"details", "autoRenew"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			input := valid
			tc.edit(&input)
			err := input.Validate(now)
			apiErr, isAPIError := apierr.As(err)
			require.True(t, isAPIError, "%v", err)
			require.Equal(t, apierr.ValidationError, apiErr.Code)
			var paths [][]any
			for _, detail := range apiErr.Details {
				paths = append(paths, detail.Path)
			}
			require.Equal(t, tc.paths, paths)
		})
	}

	ahead := valid
	ahead.ObservedAt = ptr(now.Add(4 * time.Minute))
	require.NoError(t, ahead.Validate(now), "a clock up to 5 minutes ahead is tolerated")
	boundary := churn.SignalInput{Key: churn.PaymentHealth, RawValue: ptr(-3650.0), Source: "xero"}
	require.NoError(t, boundary.Validate(now), "range bounds are included")
}

func TestPushCalculatesNowStoresLater(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	writer := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthWrite)})

	// OPEN_TICKETS 1 → 80 × 20 = 1600, and 80 weight points at 50: health
	// 56, risk 44.
	pushed, err := churn.Push(writer, b.client, acme.ID, churn.SignalInput{Key: churn.OpenTickets, RawValue: ptr(1.0), Source: "halopsa"})
	require.NoError(t, err)
	require.Equal(t, 44, pushed.ChurnRisk.Score)
	require.Equal(t, "halopsa", *pushed.Signal.Source)

	// The response's score is calculated at once; storing it waits for the
	// queued recalculation.
	stored, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.Nil(t, stored.ChurnRiskScore)
	require.Equal(t, 1, settle(t, b))
	stored, err = b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.Equal(t, 44, *stored.ChurnRiskScore)

	reader := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthRead)})
	_, err = churn.PushSignal(reader, b.client, acme.ID, churn.SignalInput{Key: churn.OpenTickets, RawValue: ptr(1.0), Source: "halopsa"})
	apiErr, _ := apierr.As(err)
	require.NotNil(t, apiErr, "%v", err)
	require.Equal(t, apierr.InsufficientScope, apiErr.Code)

	other, err := admin.CreateOrg(context.Background(), b.client, "Other MSP", "")
	require.NoError(t, err)
	stranger := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: other.ID, Scopes: auth.NewScopeSet(auth.HealthWrite)})
	_, err = churn.PushSignal(stranger, b.client, acme.ID, churn.SignalInput{Key: churn.OpenTickets, RawValue: ptr(1.0), Source: "halopsa"})
	apiErr, _ = apierr.As(err)
	require.NotNil(t, apiErr, "%v", err)
	require.Equal(t, apierr.NotFound, apiErr.Code)
}
