package rest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/rest"
)

// schemaProperty returns a property of a component schema of the OpenAPI
// document, failing the test when either is missing.
func schemaProperty(t *testing.T, document *rest.OpenAPIDocument, schema, property string) *rest.Schema {
	t.Helper()
	component := document.Components.Schemas[schema]
	require.NotNil(t, component, "the document has no schema %s", schema)
	found := component.Properties[property]
	require.NotNil(t, found, "schema %s has no property %s", schema, property)
	return found
}

func TestSignalPushRawValueDocumentsUnits(t *testing.T) {
	t.Parallel()
	document := rest.BuildOpenAPI("", rest.Operations())
	description := schemaProperty(t, document, "SignalPush", "rawValue").Description

	// Each signal has one list item, "- `KEY`: unit, range. rule".
	items := make(map[churn.Signal]string)
	for _, line := range strings.Split(description, "\n") {
		key, item, found := strings.Cut(strings.TrimPrefix(line, "- `"), "`: ")
		if strings.HasPrefix(line, "- `") && found {
			items[churn.Signal(key)] = item
		}
	}

	for _, signal := range churn.Signals {
		t.Run(string(signal), func(t *testing.T) {
			limits := churn.RawRanges[signal]
			item, found := items[signal]
			require.True(t, found, "rawValue has no item for %s:\n%s", signal, description)
			require.True(t, strings.HasPrefix(item, limits.Unit+", "), "the item of %s starts with its unit %q: %s", signal, limits.Unit, item)
			valueRange := fmt.Sprintf("from %g to %g. ", limits.Min, limits.Max)
			require.Contains(t, item, valueRange, "the range of %s", signal)
			if limits.Whole {
				require.Contains(t, item, "a whole number", "%s takes whole numbers only", signal)
			}
			_, rule, _ := strings.Cut(item, valueRange)
			require.NotEmpty(t, strings.TrimSpace(rule), "the sub-score rule of %s", signal)
		})
	}

	require.Contains(t, items[churn.CSATTrend], "percentage of satisfied responses")
	require.Contains(t, items[churn.CSATTrend], "not a 1–5 rating")
}

func TestChurnSubScoresDocumentedAsHealth(t *testing.T) {
	t.Parallel()
	document := rest.BuildOpenAPI("", rest.Operations())

	require.Contains(t, document.Components.Schemas["SignalPush"].Description, "health sub-score from 0 (at risk) to 100 (healthy)")
	for _, at := range [][2]string{{"SignalPush", "subScore"}, {"SignalBreakdown", "subScore"}, {"HealthSignal", "subScore"}} {
		description := schemaProperty(t, document, at[0], at[1]).Description
		require.Contains(t, description, "health sub-score from 0 (at risk) to 100 (healthy)", "%s.%s", at[0], at[1])
		require.NotContains(t, strings.ToLower(description), "risk from 0", "%s.%s", at[0], at[1])
	}

	contribution := schemaProperty(t, document, "SignalBreakdown", "contribution").Description
	require.Contains(t, contribution, "subScore × weight ÷ 100")
	require.Contains(t, contribution, "100 − round(Σ contribution)")
	require.NotContains(t, contribution, "sum of the weights")

	stored := schemaProperty(t, document, "HealthScoreDetail", "stored").Description
	require.Contains(t, stored, "never calculated")
	require.Contains(t, stored, "recalculation is queued")
}
