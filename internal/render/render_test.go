package render_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/render"
)

func TestTimeInUTCWithMilliseconds(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("CEST", 2*60*60)
	cases := map[string]time.Time{
		"2026-05-06T16:42:11.443Z": time.Date(2026, 5, 6, 18, 42, 11, 443_900_000, zone),
		"2026-05-06T16:42:11.000Z": time.Date(2026, 5, 6, 16, 42, 11, 0, time.UTC),
	}
	for expected, instant := range cases {
		encoded, err := json.Marshal(render.Time{Time: instant})
		require.NoError(t, err)
		require.Equal(t, `"`+expected+`"`, string(encoded))
	}
}

func TestAccountShape(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 5, 6, 18, 42, 11, 443_000_000, time.UTC)
	encoded, err := json.Marshal(render.Account(&ent.Account{
		ID: "acc_1", Name: "Acme", LifecycleStatus: account.LifecycleStatusACTIVE,
		CurrentMrr: money.Cents(350050), CreatedAt: created, UpdatedAt: created,
	}))
	require.NoError(t, err)

	var fields map[string]any
	require.NoError(t, json.Unmarshal(encoded, &fields))
	require.Contains(t, string(encoded), `"currentMrr":3500.5,`)
	require.Nil(t, fields["churnRisk"], "churnRisk is null until computed")
	require.Contains(t, fields, "churnRisk")
	require.Equal(t, []any{}, fields["tags"])
	require.Contains(t, fields, "externalId")
	require.NotContains(t, fields, "orgId")

	score, level := 72, account.ChurnRiskLevelHIGH
	encoded, err = json.Marshal(render.Account(&ent.Account{ID: "acc_1", ChurnRiskScore: &score, ChurnRiskLevel: &level}))
	require.NoError(t, err)
	require.Contains(t, string(encoded), `"churnRisk":{"score":72,"level":"HIGH"}`)
}
