package server

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/graph/generated"
)

func TestNullableOrderFieldsAreFound(t *testing.T) {
	t.Parallel()
	guard := newNullableCursors(generated.NewExecutableSchema(generated.Config{}).Schema())

	require.Equal(t, "industryNotNil", guard.nullable["Account"]["INDUSTRY"])
	require.Equal(t, "churnRiskScoreNotNil", guard.nullable["Account"]["CHURN_RISK_SCORE"])
	require.Equal(t, "lastSeenAtNotNil", guard.nullable["Device"]["LAST_SEEN_AT"])
	require.Equal(t, "renewalDateNotNil", guard.nullable["Contract"]["RENEWAL_DATE"])
	require.Equal(t, "dueDateNotNil", guard.nullable["ComplianceItem"]["DUE_DATE"])
	require.Equal(t, "estimatedMrrNotNil", guard.nullable["Deal"]["ESTIMATED_MRR"])
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for node, fields := range guard.nullable {
		for field, key := range fields {
			require.NotNil(t, schema.Types[node+"WhereInput"].Fields.ForName(key), "%s.%s names %s, which %sWhereInput lacks", node, field, key, node)
		}
	}
	require.NotContains(t, guard.nullable["Account"], "NAME")
	require.NotContains(t, guard.nullable["Account"], "CREATED_AT")
	require.NotContains(t, guard.nullable, "PipelineStage", "no order field of a stage can be null")
}
