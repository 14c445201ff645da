package server_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/auth"
)

// TestConcurrentCreates proves that concurrent mutations queue for the
// database instead of failing: on SQLite, 20 simultaneous createAccount
// requests on one file all succeed without "database is locked".
func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite)

	const writers = 20
	responses := make([]gqlResponse, writers)
	failures := make([]error, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			responses[i], failures[i] = sendGraphQL(b.server.URL+"/graphql", key,
				`mutation($name: String!) { createAccount(input: {name: $name}) { id name } }`,
				map[string]any{"name": fmt.Sprintf("Concurrent %02d", i)})
		})
	}
	close(start)
	wg.Wait()

	for i := range writers {
		require.NoError(t, failures[i], "writer %d", i)
		requireCleanErrors(t, responses[i])
		require.Empty(t, responses[i].Errors, "writer %d: %s", i, responses[i].Body)
		require.Equal(t, fmt.Sprintf("Concurrent %02d", i), responses[i].value(t, "createAccount", "name"))
	}

	response := b.mustPost(t, key, `{ accounts { totalCount } }`, nil)
	require.EqualValues(t, writers, response.value(t, "accounts", "totalCount"))
	stored := count(t, b.system(b.orgA), b.client.Account.Query().Where(account.NameHasPrefix("Concurrent ")).Count)
	require.Equal(t, writers, stored)
}

// TestMutationDocumentIsOneTransaction proves that the fields of one mutation
// document commit together: when the second field fails, the first field's
// account is rolled back and the response carries no data.
func TestMutationDocumentIsOneTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	own := b.seed(t, b.orgA, "a", "CUSTOM_STAGE")
	key := b.key(t, b.orgA, auth.AccountsWrite, auth.DealsWrite)
	document := `mutation($account: ID!, $stage: String!) {
		createAccount(input: {name: "Transaction probe"}) { id }
		createDeal(input: {name: "Second field", accountID: $account, stage: $stage}) { id }
	}`

	census := b.census(t)
	response := b.post(t, key, document, map[string]any{"account": own.account, "stage": "NOT_A_STAGE"})

	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	require.Equal(t, []any{"createDeal"}, response.Errors[0].Path)
	require.True(t, response.dataIsNull(), "a rolled-back mutation must not return the first field's account")
	require.Equal(t, census, b.census(t), "the first field's account was rolled back")
	require.Zero(t, count(t, b.system(b.orgA), b.client.Account.Query().Where(account.Name("Transaction probe")).Count))

	t.Run("both fields valid", func(t *testing.T) {
		response := b.mustPost(t, key, document, map[string]any{"account": own.account, "stage": "DISCOVERY"})
		createdID, _ := response.value(t, "createAccount", "id").(string)
		require.NotEmpty(t, createdID)
		require.NotEmpty(t, response.value(t, "createDeal", "id"))
		require.Equal(t, 1, count(t, b.system(b.orgA), b.client.Account.Query().Where(account.Name("Transaction probe")).Count))
	})
}

// TestTextWithNULIsAValidationError proves that a NUL character, which
// PostgreSQL cannot store in text or jsonb, is rejected as bad input on
// both databases instead of failing as an internal error.
func TestTextWithNULIsAValidationError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite, auth.HealthWrite)

	response := b.post(t, key, `mutation($name: String!) { createAccount(input: {name: $name}) { id } }`, map[string]any{"name": "Acme\u0000"})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)

	response = b.post(t, key, `mutation($site: String!) { createAccount(input: {name: "Acme", website: $site}) { id } }`, map[string]any{"site": "javascript:alert(1)"})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)

	own := b.seed(t, b.orgA, "a", "CUSTOM_STAGE")
	response = b.post(t, key, pushSignal, map[string]any{
		"account": own.account,
		"input":   map[string]any{"key": "CSAT_TREND", "subScore": 90, "source": "psa", "details": map[string]any{"note": "a\u0000b"}},
	})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
}

// TestIntBeyond32BitsIsAnInputError proves that GraphQL Int is the
// specification's signed 32-bit integer: a larger value, as a literal or a
// variable, is rejected instead of being stored.
func TestIntBeyond32BitsIsAnInputError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite)

	response := b.post(t, key, `mutation { createAccount(input: {name: "Acme", employeeCount: 2147483648}) { id } }`, nil)
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)

	response = b.post(t, key, `mutation($count: Int!) { createAccount(input: {name: "Acme", employeeCount: $count}) { id } }`,
		map[string]any{"count": int64(9223372036854775807)})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)

	created := b.mustPost(t, key, `mutation($count: Int!) { createAccount(input: {name: "Acme", employeeCount: $count}) { employeeCount } }`,
		map[string]any{"count": 2147483647})
	require.EqualValues(t, 2147483647, created.value(t, "createAccount", "employeeCount"))
}

// TestAppendToAccountLists proves that appendTags and
// appendComplianceFrameworks add their own values and are validated.
func TestAppendToAccountLists(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite)
	created := b.mustPost(t, key, `mutation { createAccount(input: {name: "Acme", tags: ["one"], complianceFrameworks: ["HIPAA"]}) { id } }`, nil)
	id := created.value(t, "createAccount", "id").(string)
	update := `mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { tags complianceFrameworks } }`

	response := b.mustPost(t, key, update, map[string]any{"id": id, "input": map[string]any{"appendTags": []string{"two"}, "appendComplianceFrameworks": []string{"SOC2"}}})
	require.Equal(t, []any{"one", "two"}, response.value(t, "updateAccount", "tags"))
	require.Equal(t, []any{"HIPAA", "SOC2"}, response.value(t, "updateAccount", "complianceFrameworks"))

	response = b.mustPost(t, key, update, map[string]any{"id": id, "input": map[string]any{"tags": []string{"x"}, "appendTags": []string{"y"}}})
	require.Equal(t, []any{"x", "y"}, response.value(t, "updateAccount", "tags"), "the append follows the replacement")

	for _, input := range []map[string]any{
		{"appendTags": []string{"a\u0000b"}},
		{"appendTags": []string{"  "}},
		{"tags": []string{"a\u0000b"}},
		{"appendComplianceFrameworks": []string{"NOT_A_FRAMEWORK"}},
	} {
		response = b.post(t, key, update, map[string]any{"id": id, "input": input})
		require.NotEmpty(t, response.Errors, "input %v: %s", input, response.Body)
		require.NotContains(t, response.codes(), "internal_error", response.Body)
	}
}

// TestNumbersMustNotBeStringsInGraphQL proves that Int and Float arguments
// reject a string that holds a number, as REST bodies do.
func TestNumbersMustNotBeStringsInGraphQL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite, auth.HealthWrite)
	own := b.seed(t, b.orgA, "a", "CUSTOM_STAGE")

	response := b.post(t, key, `mutation($count: Int!) { createAccount(input: {name: "Acme", employeeCount: $count}) { id } }`, map[string]any{"count": "50"})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	response = b.post(t, key, pushSignal, map[string]any{
		"account": own.account,
		"input":   map[string]any{"key": "CSAT_TREND", "rawValue": "90", "source": "psa"},
	})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	b.mustPost(t, key, pushSignal, map[string]any{
		"account": own.account,
		"input":   map[string]any{"key": "CSAT_TREND", "rawValue": 90.5, "source": "psa"},
	})
}

// TestNULInAFilterIsAValidationError proves that a NUL character in a read
// filter is rejected on both databases, as a variable and as a literal.
func TestNULInAFilterIsAValidationError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsRead)

	response := b.post(t, key, `query($name: String) { accounts(where: {nameContains: $name}) { totalCount } }`, map[string]any{"name": "a\u0000b"})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	response = b.post(t, key, `query { accounts(where: {nameContains: "a\u0000b"}) { totalCount } }`, nil)
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	b.mustPost(t, key, `query { accounts(where: {nameContains: "ab"}) { totalCount } }`, nil)
}

// TestSetAndClearTogetherIsAValidationError proves that an input that sets a
// field and clears it is rejected on both databases.
func TestSetAndClearTogetherIsAValidationError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite)
	created := b.mustPost(t, key, `mutation { createAccount(input: {name: "Acme"}) { id } }`, nil)
	id := created.value(t, "createAccount", "id").(string)
	parent := b.mustPost(t, key, `mutation { createAccount(input: {name: "Holding"}) { id } }`, nil).value(t, "createAccount", "id").(string)
	update := `mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { industry parentAccountID } }`

	for _, input := range []map[string]any{
		{"industry": "Legal", "clearIndustry": true},
		{"parentID": parent, "clearParent": true},
		{"employeeCount": 5, "clearEmployeeCount": true},
	} {
		response := b.post(t, key, update, map[string]any{"id": id, "input": input})
		require.Equal(t, []string{"validation_error"}, response.codes(), "input %v: %s", input, response.Body)
	}
	response := b.post(t, key, `mutation { updateAccount(id: "`+id+`", input: {industry: "Legal", clearIndustry: true}) { id } }`, nil)
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)

	b.mustPost(t, key, update, map[string]any{"id": id, "input": map[string]any{"industry": "Legal", "clearParent": true}})
	b.mustPost(t, key, update, map[string]any{"id": id, "input": map[string]any{"clearIndustry": true}})
}
