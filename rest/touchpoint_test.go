package rest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

func TestTouchpointInTheFutureIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Future"), auth.AccountsWrite, auth.TouchpointsWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	inTwoDays := time.Now().AddDate(0, 0, 2).UTC().Format(time.RFC3339)
	b.call(t, http.MethodPost, "/touchpoints", key, map[string]any{"accountId": acme, "type": "MEETING", "occurredAt": inTwoDays}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "occurredAt")

	// A clock a few minutes ahead is tolerated, and the touchpoint is stored
	// as occurring now, so the recalculation it triggers counts it.
	aheadOfTime := time.Now().Add(4 * time.Minute).UTC()
	created := b.call(t, http.MethodPost, "/touchpoints", key, map[string]any{"accountId": acme, "type": "CALL", "occurredAt": aheadOfTime.Format(time.RFC3339)}).
		requireStatus(t, http.StatusCreated).data(t)
	occurredAt, err := time.Parse(time.RFC3339Nano, created["occurredAt"].(string))
	require.NoError(t, err)
	require.True(t, occurredAt.Before(aheadOfTime.Add(-3*time.Minute)), "stored as now, got %s", occurredAt)
}
