package rest_test

import (
	"net/http"
	"testing"
	"time"

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

	// A clock a few minutes ahead is tolerated.
	aheadOfTime := time.Now().Add(4 * time.Minute).UTC().Format(time.RFC3339)
	b.call(t, http.MethodPost, "/touchpoints", key, map[string]any{"accountId": acme, "type": "CALL", "occurredAt": aheadOfTime}).
		requireStatus(t, http.StatusCreated)
}
