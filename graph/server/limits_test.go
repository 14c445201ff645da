package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// introspectionQuery is the document that getIntrospectionQuery() of
// graphql-js 17 returns with its default options (descriptions on, nine
// levels of ofType), as GraphiQL and code generators send it.
const introspectionQuery = `
    query IntrospectionQuery {
      __schema {
        queryType { name kind }
        mutationType { name kind }
        subscriptionType { name kind }
        types {
          ...FullType
        }
        directives {
          name
          description
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        name
        kind
        ofType {
          name
          kind
          ofType {
            name
            kind
            ofType {
              name
              kind
              ofType {
                name
                kind
                ofType {
                  name
                  kind
                  ofType {
                    name
                    kind
                    ofType {
                      name
                      kind
                      ofType {
                        name
                        kind
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
`

// introspectionQueryV16 is the document of graphql-js 16, which many clients
// still ship: seven levels of ofType and no kind on the root types.
const introspectionQueryV16 = `
    query IntrospectionQuery {
      __schema {
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types {
          ...FullType
        }
        directives {
          name
          description
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
`

// aliases returns a selection set of count aliases of one field.
func aliases(count int, field string) string {
	var query strings.Builder
	query.WriteString("{\n")
	for i := range count {
		fmt.Fprintf(&query, "  a%d: %s\n", i, field)
	}
	query.WriteString("}")
	return query.String()
}

// fragmentBomb returns a document of levels fragments that each spread the
// next one twice, so expanding it selects __typename 2^levels times.
func fragmentBomb(levels int) string {
	var query strings.Builder
	query.WriteString("{ ...F0 }\n")
	for i := range levels {
		fmt.Fprintf(&query, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&query, "fragment F%d on Query { __typename }\n", levels)
	return query.String()
}

// TestLimitsRejectBeforeResolvers proves that documents over the depth, alias
// and page-size limits are rejected with a bad_request whose message names
// what to change, before any resolver sends a statement to the database.
func TestLimitsRejectBeforeResolvers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.seed(t, b.orgA, "a", "CUSTOM_STAGE")
	key := b.key(t, b.orgA, append(writeScopes(), auth.AdminRead)...)
	counting, counter := b.countingServer(t)

	tests := []struct {
		name  string
		query string
		// advice is the part of the message that names what to change.
		advice string
	}{
		{
			name: "too deep",
			query: `{ accounts(first: 1) { edges { node { deals(first: 1) { edges { node { account { deals(first: 1) {
				edges { node { account { deals(first: 1) { edges { node { id } } } } } } } } } } } } } } }`,
			advice: "split it into shallower queries",
		},
		{
			name:   "aliases of a cheap field",
			query:  aliases(2000, "__typename"),
			advice: "use fewer aliases",
		},
		{
			name:   "aliases of a connection count",
			query:  aliases(2000, "pipelineStages(first: 1) { totalCount }"),
			advice: "use fewer aliases",
		},
		{
			name:   "page of 101",
			query:  `{ accounts(first: 101) { edges { node { id } } } }`,
			advice: "first and last must be between 0 and 100, got 101",
		},
		{
			name:   "nested page of 101",
			query:  `{ accounts(first: 1) { edges { node { deals(last: 101) { edges { node { id } } } } } } }`,
			advice: "first and last must be between 0 and 100, got 101",
		},
		{
			name:   "fragments spread twice at every level",
			query:  fragmentBomb(40),
			advice: "spread fewer fragments",
		},
		{
			name:   "mutation with aliases",
			query:  "mutation " + aliases(2000, `createLead(input: {companyName: "Flood"}) { id }`),
			advice: "use fewer aliases",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			counter.reset()
			response := postGraphQL(t, counting.URL+"/graphql", key, tc.query, nil)

			require.Equal(t, []string{"bad_request"}, response.codes(), response.Body)
			require.Contains(t, response.Errors[0].Message, tc.advice)
			require.True(t, response.dataIsNull())
			require.Zero(t, counter.count.Load(), "statements ran before the rejection:\n%s", strings.Join(counter.recorded(), "\n"))
		})
	}

	t.Run("limits in a variable", func(t *testing.T) {
		counter.reset()
		response := postGraphQL(t, counting.URL+"/graphql", key, `query($n: Int) { accounts(first: $n) { edges { node { id } } } }`, map[string]any{"n": 101})

		require.Equal(t, []string{"bad_request"}, response.codes(), response.Body)
		require.Zero(t, counter.count.Load())
	})

	t.Run("within the limits", func(t *testing.T) {
		response := postGraphQL(t, counting.URL+"/graphql", key, `{ a: accounts(first: 100) { totalCount } b: deals(first: 100) { totalCount } }`, nil)
		require.Empty(t, response.Errors, response.Body)
	})

	for name, query := range map[string]string{"graphql-js 17": introspectionQuery, "graphql-js 16": introspectionQueryV16} {
		t.Run("introspection "+name, func(t *testing.T) {
			counter.reset()
			response := postGraphQL(t, counting.URL+"/graphql", key, query, nil)

			require.Empty(t, response.Errors, response.Body)
			types, _ := response.value(t, "__schema", "types").([]any)
			require.NotEmpty(t, types)
			require.Equal(t, "Query", response.value(t, "__schema", "queryType", "name"))
			require.Equal(t, "Mutation", response.value(t, "__schema", "mutationType", "name"))
			require.Zero(t, counter.count.Load(), "introspection reads no table")
		})
	}
}

func TestBadScalarArgumentsAreValidationErrors(t *testing.T) {
	b := setup(t)
	key := b.key(t, b.orgB, auth.DealsWrite, auth.TouchpointsWrite, auth.AccountsRead)
	cases := map[string]string{
		"cursor": `{ accounts(first: 5, after: "garbage") { totalCount } }`,
		"money":  `mutation { createDeal(input: {name: "x", accountID: "acc_01", estimatedMrr: 10.005}) { id } }`,
		"time":   `mutation { createTouchpoint(input: {type: CALL, accountID: "acc_01", occurredAt: "yesterday"}) { id } }`,
	}
	for name, query := range cases {
		result := b.post(t, key, query, nil)
		require.Equal(t, []string{"validation_error"}, result.codes(), name)
	}
}
