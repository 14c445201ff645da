package server_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// scopeCase describes the scopes that guard one entity type and the ways a
// client reads it.
type scopeCase struct {
	typeName string
	read     auth.Scope
	// write is the scope of the type's mutations, or "" when no key may
	// write the type.
	write auth.Scope
	idOf  func(records) string
	root  string
	// nested reads the type through an edge of a record whose type another
	// scope guards; the key of the test holds that other scope.
	nested []scopedEdge
}

// scopedEdge is a query that reaches a type from a parent of another type.
type scopedEdge struct {
	query    string
	parentOf func(records) string
}

func scopeCases() []scopeCase {
	fromAccount := func(field string) scopedEdge {
		return scopedEdge{
			query:    fmt.Sprintf(`query($parent: ID!) { node(id: $parent) { id ... on Account { %s(first: 5) { edges { node { id } } } } } }`, field),
			parentOf: func(r records) string { return r.account },
		}
	}
	edge := func(typeName, selection string, parentOf func(records) string) scopedEdge {
		return scopedEdge{
			query:    fmt.Sprintf(`query($parent: ID!) { node(id: $parent) { id ... on %s { %s } } }`, typeName, selection),
			parentOf: parentOf,
		}
	}
	account := func(r records) string { return r.account }
	contact := func(r records) string { return r.contact }
	deal := func(r records) string { return r.deal }
	device := func(r records) string { return r.device }

	return []scopeCase{
		{typeName: "Account", read: auth.AccountsRead, write: auth.AccountsWrite, idOf: account, root: "accounts",
			nested: []scopedEdge{edge("Deal", "account { id }", deal), edge("Contact", "accounts { id }", contact)}},
		{typeName: "Site", read: auth.AccountsRead, write: auth.AccountsWrite, idOf: func(r records) string { return r.site }, root: "sites",
			nested: []scopedEdge{edge("Device", "site { id }", device)}},
		{typeName: "Contact", read: auth.ContactsRead, write: auth.ContactsWrite, idOf: contact, root: "contacts",
			nested: []scopedEdge{edge("Account", "contacts { id }", account), edge("Deal", "contacts { id }", deal)}},
		{typeName: "AccountContact", read: auth.ContactsRead, write: auth.ContactsWrite, idOf: func(r records) string { return r.accountContact },
			nested: []scopedEdge{edge("Account", "contactLinks { id }", account)}},
		{typeName: "Deal", read: auth.DealsRead, write: auth.DealsWrite, idOf: deal, root: "deals",
			nested: []scopedEdge{fromAccount("deals"), edge("Contact", "deals { id }", contact)}},
		{typeName: "DealContact", read: auth.DealsRead, write: auth.DealsWrite, idOf: func(r records) string { return r.dealContact },
			nested: []scopedEdge{edge("Contact", "dealLinks { id }", contact)}},
		{typeName: "PipelineStage", read: auth.DealsRead, idOf: func(r records) string { return r.stage }, root: "pipelineStages"},
		{typeName: "Contract", read: auth.ContractsRead, idOf: func(r records) string { return r.contract }, root: "contracts",
			nested: []scopedEdge{fromAccount("contracts")}},
		{typeName: "ServiceLine", read: auth.ContractsRead, idOf: func(r records) string { return r.serviceLine }},
		{typeName: "Device", read: auth.DevicesRead, write: auth.DevicesWrite, idOf: device, root: "devices",
			nested: []scopedEdge{fromAccount("devices"), edge("Site", "devices(first: 5) { edges { node { id } } }", func(r records) string { return r.site })}},
		{typeName: "Task", read: auth.TasksRead, write: auth.TasksWrite, idOf: func(r records) string { return r.task }, root: "tasks",
			nested: []scopedEdge{fromAccount("tasks"), edge("Deal", "tasks(first: 5) { edges { node { id } } }", deal)}},
		{typeName: "Note", read: auth.NotesRead, write: auth.NotesWrite, idOf: func(r records) string { return r.note }, root: "notes"},
		{typeName: "Touchpoint", read: auth.TouchpointsRead, write: auth.TouchpointsWrite, idOf: func(r records) string { return r.touchpoint }, root: "touchpoints",
			nested: []scopedEdge{fromAccount("touchpoints"), edge("Contact", "touchpoints(first: 5) { edges { node { id } } }", contact)}},
		{typeName: "Lead", read: auth.LeadsRead, write: auth.LeadsWrite, idOf: func(r records) string { return r.lead }, root: "leads"},
		{typeName: "ComplianceItem", read: auth.ComplianceRead, idOf: func(r records) string { return r.compliance }, root: "complianceItems",
			nested: []scopedEdge{fromAccount("complianceItems")}},
		{typeName: "HealthSignal", read: auth.HealthRead, write: auth.HealthWrite, idOf: func(r records) string { return r.signal }, root: "healthSignals",
			nested: []scopedEdge{fromAccount("healthSignals")}},
		{typeName: "ChurnRiskSnapshot", read: auth.HealthRead, write: auth.HealthWrite, idOf: func(r records) string { return r.snapshot },
			nested: []scopedEdge{fromAccount("churnRiskSnapshots")}},
	}
}

// scopesWithout returns every scope except the excluded ones.
func scopesWithout(excluded ...auth.Scope) []auth.Scope {
	var scopes []auth.Scope
	for _, scope := range auth.AllScopes {
		if !slices.Contains(excluded, scope) {
			scopes = append(scopes, scope)
		}
	}
	return scopes
}

// requireDenied checks that a response is an insufficient_scope error naming
// the scope and that its data contains none of the withheld IDs.
func requireDenied(t *testing.T, response gqlResponse, scope auth.Scope, withheld ...string) {
	t.Helper()
	require.NotEmpty(t, response.Errors, "expected insufficient_scope, got %s", response.Body)
	for _, gqlErr := range response.Errors {
		require.Equal(t, "insufficient_scope", gqlErr.Extensions["code"], response.Body)
		require.Equal(t, string(scope), gqlErr.Extensions["requiredScope"], response.Body)
	}
	for _, withheldID := range withheld {
		require.NotContains(t, string(response.Data), withheldID, "partial data leaks a record the key may not read")
	}
}

// TestScopeMatrixReads proves for every entity type that a key without the
// type's read scope gets insufficient_scope and no data through the root
// field, node(id:), nodes(ids:) and nested edges. That key holds every other
// scope except the write scope and admin:read, which imply the read scope. A
// key with the read scope, the write scope or admin:read reads the type.
func TestScopeMatrixReads(t *testing.T) {
	t.Parallel()
	b := setup(t)
	own := b.seed(t, b.orgB, "b", "CUSTOM_STAGE")
	adminKey := b.key(t, b.orgB, auth.AdminRead)

	for _, tc := range scopeCases() {
		t.Run(tc.typeName, func(t *testing.T) {
			recordID := tc.idOf(own)
			denied := b.key(t, b.orgB, scopesWithout(tc.read, auth.Scope(tc.read[:len(tc.read)-len("read")]+"write"), auth.AdminRead)...)
			allowed := map[string]string{
				"read scope": b.key(t, b.orgB, tc.read),
				"admin:read": adminKey,
			}
			if tc.write != "" {
				allowed["write scope"] = b.key(t, b.orgB, tc.write)
			}

			nodeQuery := fmt.Sprintf(`query($id: ID!) { node(id: $id) { id ... on %s { createdAt } } }`, tc.typeName)
			nodesQuery := `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
			rootQuery := fmt.Sprintf(`{ %s(first: 10) { totalCount edges { node { id } } } }`, tc.root)

			if tc.root != "" {
				t.Run("root denied", func(t *testing.T) {
					response := b.post(t, denied, rootQuery, nil)
					requireDenied(t, response, tc.read, recordID)
					require.True(t, response.dataIsNull())
				})
			}
			t.Run("node denied", func(t *testing.T) {
				response := b.post(t, denied, nodeQuery, map[string]any{"id": recordID})
				requireDenied(t, response, tc.read, recordID)
				require.Nil(t, response.value(t, "node"))
			})
			t.Run("nodes denied", func(t *testing.T) {
				response := b.post(t, denied, nodesQuery, map[string]any{"ids": []string{recordID}})
				requireDenied(t, response, tc.read, recordID)
			})
			for _, nested := range tc.nested {
				t.Run("nested denied "+edgeName(nested.query), func(t *testing.T) {
					response := b.post(t, denied, nested.query, map[string]any{"parent": nested.parentOf(own)})
					requireDenied(t, response, tc.read, recordID)
				})
			}

			for name, key := range allowed {
				t.Run("allowed with "+name, func(t *testing.T) {
					if tc.root != "" {
						response := b.mustPost(t, key, rootQuery, nil)
						require.Contains(t, response.connectionIDs(t, tc.root), recordID)
					}
					response := b.mustPost(t, key, nodeQuery, map[string]any{"id": recordID})
					require.Equal(t, recordID, response.value(t, "node", "id"))
				})
			}
		})
	}

	t.Run("User", func(t *testing.T) {
		// Users carry no scope: any key of the org reads them.
		key := b.key(t, b.orgB, auth.LeadsRead)
		response := b.mustPost(t, key, `query($id: ID!) { users { edges { node { id } } } node(id: $id) { id } }`, map[string]any{"id": own.user})
		require.Contains(t, response.connectionIDs(t, "users"), own.user)
		require.Equal(t, own.user, response.value(t, "node", "id"))

		dealsKey := b.key(t, b.orgB, auth.DealsRead)
		response = b.mustPost(t, dealsKey, `query($id: ID!) { node(id: $id) { ... on Deal { owner { id } } } }`, map[string]any{"id": own.deal})
		require.Equal(t, own.user, response.value(t, "node", "owner", "id"))
	})
}

// writeCase is one mutation and the scope it needs.
type writeCase struct {
	scope    auth.Scope
	document string
	// variables gives the mutation's variables from org B's records.
	variables func(records) map[string]any
}

func writeCases() []writeCase {
	byID := func(pick func(records) string) func(records) map[string]any {
		return func(r records) map[string]any { return map[string]any{"id": pick(r)} }
	}
	account := func(r records) map[string]any { return map[string]any{"account": r.account} }

	return []writeCase{
		{auth.AccountsWrite, `mutation { createAccount(input: {name: "Scope probe"}) { id } }`, nil},
		{auth.AccountsWrite, `mutation($id: ID!) { updateAccount(id: $id, input: {name: "Scope probe"}) { id } }`, byID(func(r records) string { return r.account })},
		{auth.AccountsWrite, `mutation($id: ID!) { deleteAccount(id: $id) { id } }`, byID(func(r records) string { return r.account })},
		{auth.AccountsWrite, `mutation($id: ID!) { deleteAccount(id: $id, force: true) { id } }`, byID(func(r records) string { return r.account })},
		{auth.AccountsWrite, `mutation($account: ID!) { createSite(input: {name: "Scope probe", accountID: $account}) { id } }`, account},
		{auth.AccountsWrite, `mutation($id: ID!) { updateSite(id: $id, input: {name: "Scope probe"}) { id } }`, byID(func(r records) string { return r.site })},
		{auth.ContactsWrite, `mutation { createContact(input: {firstName: "Scope probe"}) { id } }`, nil},
		{auth.ContactsWrite, `mutation($id: ID!) { updateContact(id: $id, input: {firstName: "Scope probe"}) { id } }`, byID(func(r records) string { return r.contact })},
		{auth.ContactsWrite, `mutation($account: ID!, $contact: ID!) { linkAccountContact(input: {accountID: $account, contactID: $contact, role: "Scope probe"}) { id } }`,
			func(r records) map[string]any { return map[string]any{"account": r.account, "contact": r.contact} }},
		{auth.ContactsWrite, `mutation($id: ID!) { updateAccountContact(id: $id, input: {role: "Scope probe"}) { id } }`, byID(func(r records) string { return r.accountContact })},
		{auth.DealsWrite, `mutation($account: ID!) { createDeal(input: {name: "Scope probe", accountID: $account}) { id } }`, account},
		{auth.DealsWrite, `mutation($id: ID!) { updateDeal(id: $id, input: {name: "Scope probe"}) { id } }`, byID(func(r records) string { return r.deal })},
		{auth.DealsWrite, `mutation($deal: ID!, $contact: ID!) { linkDealContact(input: {dealID: $deal, contactID: $contact}) { id } }`,
			func(r records) map[string]any { return map[string]any{"deal": r.deal, "contact": r.contact} }},
		{auth.DevicesWrite, `mutation($account: ID!) { createDevice(input: {hostname: "scope-probe", accountID: $account}) { id } }`, account},
		{auth.DevicesWrite, `mutation($id: ID!) { updateDevice(id: $id, input: {hostname: "scope-probe"}) { id } }`, byID(func(r records) string { return r.device })},
		{auth.DevicesWrite, `mutation($id: ID!) { deleteDevice(id: $id) { id } }`, byID(func(r records) string { return r.device })},
		{auth.TasksWrite, `mutation { createTask(input: {title: "Scope probe"}) { id } }`, nil},
		{auth.TasksWrite, `mutation($id: ID!) { updateTask(id: $id, input: {title: "Scope probe"}) { id } }`, byID(func(r records) string { return r.task })},
		{auth.TasksWrite, `mutation($id: ID!) { deleteTask(id: $id) { id } }`, byID(func(r records) string { return r.task })},
		{auth.NotesWrite, `mutation($account: String!) { createNote(input: {body: "Scope probe", objectType: ACCOUNT, objectID: $account}) { id } }`, account},
		{auth.TouchpointsWrite, `mutation($account: ID!) { createTouchpoint(input: {type: CALL, accountID: $account}) { id } }`, account},
		{auth.LeadsWrite, `mutation { createLead(input: {companyName: "Scope probe"}) { id } }`, nil},
		{auth.LeadsWrite, `mutation($id: ID!) { updateLead(id: $id, input: {companyName: "Scope probe"}) { id } }`, byID(func(r records) string { return r.lead })},
	}
}

// TestScopeMatrixWrites proves that every mutation needs its write scope: a
// key with every other scope, and a key with admin:read only, get
// insufficient_scope and write nothing, while a key with the write scope
// alone succeeds.
func TestScopeMatrixWrites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	own := b.seed(t, b.orgB, "b", "CUSTOM_STAGE")
	adminKey := b.key(t, b.orgB, auth.AdminRead)

	for _, tc := range writeCases() {
		t.Run(fieldName(tc.document), func(t *testing.T) {
			var variables map[string]any
			if tc.variables != nil {
				variables = tc.variables(own)
			}
			denied := map[string]string{
				"every other scope": b.key(t, b.orgB, scopesWithout(tc.scope)...),
				"admin:read":        adminKey,
			}
			for name, key := range denied {
				census := b.census(t)
				response := b.post(t, key, tc.document, variables)
				requireDenied(t, response, tc.scope)
				require.True(t, response.dataIsNull(), "denied with %s", name)
				require.Equal(t, census, b.census(t), "a denied mutation wrote a row with %s", name)
			}
		})
	}

	// The allowed runs come last and in this order, because they change and
	// delete the records the denied runs use.
	for _, tc := range writeCases() {
		t.Run(fieldName(tc.document)+" allowed", func(t *testing.T) {
			var variables map[string]any
			if tc.variables != nil {
				variables = tc.variables(own)
			}
			if fieldName(tc.document) == "linkAccountContact" || fieldName(tc.document) == "linkDealContact" {
				// The seeded link already joins the pair; link a new contact.
				contact := b.mustPost(t, b.key(t, b.orgB, auth.ContactsWrite), `mutation { createContact(input: {firstName: "Linked"}) { id } }`, nil)
				variables["contact"] = contact.value(t, "createContact", "id")
			}
			if fieldName(tc.document) == "deleteAccount" {
				// Force-deleting the seeded account would leave the later
				// cases without their records.
				created := b.mustPost(t, b.key(t, b.orgB, auth.AccountsWrite), `mutation { createAccount(input: {name: "Doomed"}) { id } }`, nil)
				variables = map[string]any{"id": created.value(t, "createAccount", "id")}
			}
			b.mustPost(t, b.key(t, b.orgB, tc.scope), tc.document, variables)
		})
	}
}
