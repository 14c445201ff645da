package server_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
)

// tenancyCase describes how a client can reach one entity type: its root
// connection, the nested edges that lead to it, and the mutations that change
// it or point at it.
type tenancyCase struct {
	typeName string
	prefix   string
	// idOf picks the type's record out of an org's records.
	idOf func(records) string
	// root is the root connection field, or "" when the type has none.
	root string
	// nested lists queries from an org-B record (the variable $parent) whose
	// result at path must never contain an org-A record of this type, even
	// after corruptOrgA pointed org A's rows at org B's parents.
	nested []nestedRead
	// mutations change or delete the record named by the variable $id.
	mutations []string
	// references are org-B writes that point at the org-A record, passed as
	// the variable $ref.
	references []reference
}

// nestedRead is a query that reads the type through an edge of an org-B
// record.
type nestedRead struct {
	query    string
	parentOf func(records) string
	path     []any
	// connection is true when path leads to a Relay connection rather than
	// a list.
	connection bool
	// ownOf picks the org-B record the edge must return, or is nil when the
	// edge of the org-B parent contains no org-B record of this type.
	ownOf func(records) string
}

// reference is an org-B mutation that refers to another record through $ref.
type reference struct {
	query string
	// variables gives every variable but $ref, from org B's records.
	variables func(records) map[string]any
}

// orgBKeyScopes are the scopes of org B's key in the tenancy test: admin:read
// and every write scope, so no scope check hides a tenancy leak.
func orgBKeyScopes() []auth.Scope {
	return append(writeScopes(), auth.AdminRead)
}

func tenancyCases() []tenancyCase {
	accountRead := func(field string) nestedRead {
		return nestedRead{
			query:      fmt.Sprintf(`query($parent: ID!) { node(id: $parent) { ... on Account { %s(first: 50) { totalCount edges { node { id } } } } } }`, field),
			parentOf:   func(r records) string { return r.account },
			path:       []any{"node", field},
			connection: true,
		}
	}
	withOwn := func(read nestedRead, own func(records) string) nestedRead {
		read.ownOf = own
		return read
	}
	bVars := func(pick func(records) map[string]any) func(records) map[string]any { return pick }

	return []tenancyCase{
		{
			typeName: "Account", prefix: id.Account, idOf: func(r records) string { return r.account }, root: "accounts",
			nested: []nestedRead{{
				query:    `query($parent: ID!) { node(id: $parent) { ... on Account { children { id } } } }`,
				parentOf: func(r records) string { return r.account },
				path:     []any{"node", "children"},
			}},
			mutations: []string{
				`mutation($id: ID!) { updateAccount(id: $id, input: {name: "Renamed by org B"}) { id } }`,
				`mutation($id: ID!) { deleteAccount(id: $id) { id } }`,
				`mutation($id: ID!) { deleteAccount(id: $id, force: true) { id } }`,
			},
			references: []reference{
				{`mutation($ref: ID!) { createDeal(input: {name: "Cross-org deal", accountID: $ref}) { id } }`, nil},
				{`mutation($ref: ID!, $id: ID!) { updateDeal(id: $id, input: {accountID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"id": r.deal} })},
				{`mutation($ref: ID!, $contact: ID!) { linkAccountContact(input: {accountID: $ref, contactID: $contact}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"contact": r.contact} })},
				{`mutation($ref: ID!) { createSite(input: {name: "Cross-org site", accountID: $ref}) { id } }`, nil},
				{`mutation($ref: ID!) { createDevice(input: {hostname: "cross-org", accountID: $ref}) { id } }`, nil},
				{`mutation($ref: ID!) { createTask(input: {title: "Cross-org task", accountID: $ref}) { id } }`, nil},
				{`mutation($ref: ID!) { createTouchpoint(input: {type: CALL, accountID: $ref}) { id } }`, nil},
				{`mutation($ref: String!) { createNote(input: {body: "Cross-org note", objectType: ACCOUNT, objectID: $ref}) { id } }`, nil},
			},
		},
		{
			typeName: "Site", prefix: id.Site, idOf: func(r records) string { return r.site }, root: "sites",
			nested:    []nestedRead{withOwn(accountRead("sites"), func(r records) string { return r.site })},
			mutations: []string{`mutation($id: ID!) { updateSite(id: $id, input: {name: "Renamed by org B"}) { id } }`},
			references: []reference{
				{`mutation($ref: ID!, $account: ID!) { createDevice(input: {hostname: "cross-org", accountID: $account, siteID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"account": r.account} })},
				{`mutation($ref: ID!, $id: ID!) { updateDevice(id: $id, input: {siteID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"id": r.device} })},
			},
		},
		{
			typeName: "Contact", prefix: id.Contact, idOf: func(r records) string { return r.contact }, root: "contacts",
			nested: []nestedRead{
				{
					query:    `query($parent: ID!) { node(id: $parent) { ... on Account { contacts { id } } } }`,
					parentOf: func(r records) string { return r.account },
					path:     []any{"node", "contacts"},
					ownOf:    func(r records) string { return r.contact },
				},
				{
					query:    `query($parent: ID!) { node(id: $parent) { ... on Deal { contacts { id } } } }`,
					parentOf: func(r records) string { return r.deal },
					path:     []any{"node", "contacts"},
					ownOf:    func(r records) string { return r.contact },
				},
			},
			mutations: []string{`mutation($id: ID!) { updateContact(id: $id, input: {firstName: "Renamed by org B"}) { id } }`},
			references: []reference{
				{`mutation($ref: ID!, $account: ID!) { linkAccountContact(input: {accountID: $account, contactID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"account": r.account} })},
				{`mutation($ref: ID!, $id: ID!) { updateAccountContact(id: $id, input: {contactID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"id": r.accountContact} })},
				{`mutation($ref: ID!, $deal: ID!) { linkDealContact(input: {dealID: $deal, contactID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"deal": r.deal} })},
				{`mutation($ref: ID!, $account: ID!) { createTouchpoint(input: {type: EMAIL, accountID: $account, contactID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"account": r.account} })},
				{`mutation($ref: String!) { createNote(input: {body: "Cross-org note", objectType: CONTACT, objectID: $ref}) { id } }`, nil},
			},
		},
		{
			typeName: "AccountContact", prefix: id.AccountContact, idOf: func(r records) string { return r.accountContact },
			nested: []nestedRead{
				{
					query:    `query($parent: ID!) { node(id: $parent) { ... on Account { contactLinks { id } } } }`,
					parentOf: func(r records) string { return r.account },
					path:     []any{"node", "contactLinks"},
					ownOf:    func(r records) string { return r.accountContact },
				},
				{
					query:    `query($parent: ID!) { node(id: $parent) { ... on Contact { accountLinks { id } } } }`,
					parentOf: func(r records) string { return r.contact },
					path:     []any{"node", "accountLinks"},
					ownOf:    func(r records) string { return r.accountContact },
				},
			},
			mutations: []string{`mutation($id: ID!) { updateAccountContact(id: $id, input: {role: "Changed by org B"}) { id } }`},
		},
		{
			typeName: "Deal", prefix: id.Deal, idOf: func(r records) string { return r.deal }, root: "deals",
			nested:    []nestedRead{withOwn(accountRead("deals"), func(r records) string { return r.deal })},
			mutations: []string{`mutation($id: ID!) { updateDeal(id: $id, input: {name: "Renamed by org B"}) { id } }`},
			references: []reference{
				{`mutation($ref: ID!) { createTask(input: {title: "Cross-org task", dealID: $ref}) { id } }`, nil},
				{`mutation($ref: ID!, $id: ID!) { updateTask(id: $id, input: {dealID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"id": r.task} })},
				{`mutation($ref: ID!, $contact: ID!) { linkDealContact(input: {dealID: $ref, contactID: $contact}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"contact": r.contact} })},
				{`mutation($ref: String!) { createNote(input: {body: "Cross-org note", objectType: DEAL, objectID: $ref}) { id } }`, nil},
			},
		},
		{
			typeName: "DealContact", prefix: id.DealContact, idOf: func(r records) string { return r.dealContact },
			nested: []nestedRead{
				{
					query:    `query($parent: ID!) { node(id: $parent) { ... on Deal { contactLinks { id } } } }`,
					parentOf: func(r records) string { return r.deal },
					path:     []any{"node", "contactLinks"},
					ownOf:    func(r records) string { return r.dealContact },
				},
				{
					query:    `query($parent: ID!) { node(id: $parent) { ... on Contact { dealLinks { id } } } }`,
					parentOf: func(r records) string { return r.contact },
					path:     []any{"node", "dealLinks"},
					ownOf:    func(r records) string { return r.dealContact },
				},
			},
		},
		{
			typeName: "PipelineStage", prefix: id.PipelineStage, idOf: func(r records) string { return r.stage }, root: "pipelineStages",
		},
		{
			typeName: "Contract", prefix: id.Contract, idOf: func(r records) string { return r.contract }, root: "contracts",
			nested: []nestedRead{withOwn(accountRead("contracts"), func(r records) string { return r.contract })},
			references: []reference{
				{`mutation($ref: String!) { createNote(input: {body: "Cross-org note", objectType: CONTRACT, objectID: $ref}) { id } }`, nil},
			},
		},
		{
			typeName: "ServiceLine", prefix: id.ServiceLine, idOf: func(r records) string { return r.serviceLine },
			nested: []nestedRead{{
				query:    `query($parent: ID!) { node(id: $parent) { ... on Contract { serviceLines { id } } } }`,
				parentOf: func(r records) string { return r.contract },
				path:     []any{"node", "serviceLines"},
				ownOf:    func(r records) string { return r.serviceLine },
			}},
		},
		{
			typeName: "Device", prefix: id.Device, idOf: func(r records) string { return r.device }, root: "devices",
			nested: []nestedRead{
				withOwn(accountRead("devices"), func(r records) string { return r.device }),
				{
					query:      `query($parent: ID!) { node(id: $parent) { ... on Site { devices(first: 50) { totalCount edges { node { id } } } } } }`,
					parentOf:   func(r records) string { return r.site },
					path:       []any{"node", "devices"},
					connection: true,
					ownOf:      func(r records) string { return r.device },
				},
			},
			mutations: []string{
				`mutation($id: ID!) { updateDevice(id: $id, input: {hostname: "renamed-by-org-b"}) { id } }`,
				`mutation($id: ID!) { deleteDevice(id: $id) { id } }`,
			},
		},
		{
			typeName: "Task", prefix: id.Task, idOf: func(r records) string { return r.task }, root: "tasks",
			nested: []nestedRead{
				withOwn(accountRead("tasks"), func(r records) string { return r.task }),
				{
					query:      `query($parent: ID!) { node(id: $parent) { ... on Deal { tasks(first: 50) { totalCount edges { node { id } } } } } }`,
					parentOf:   func(r records) string { return r.deal },
					path:       []any{"node", "tasks"},
					connection: true,
					ownOf:      func(r records) string { return r.task },
				},
			},
			mutations: []string{
				`mutation($id: ID!) { updateTask(id: $id, input: {title: "Renamed by org B"}) { id } }`,
				`mutation($id: ID!) { deleteTask(id: $id) { id } }`,
			},
		},
		{
			typeName: "Note", prefix: id.Note, idOf: func(r records) string { return r.note }, root: "notes",
			nested: []nestedRead{{
				query:      `query($parent: String!) { notes(first: 50, where: {objectID: $parent}) { totalCount edges { node { id } } } }`,
				parentOf:   func(r records) string { return r.account },
				path:       []any{"notes"},
				connection: true,
				ownOf:      func(r records) string { return r.note },
			}},
		},
		{
			typeName: "Touchpoint", prefix: id.Touchpoint, idOf: func(r records) string { return r.touchpoint }, root: "touchpoints",
			nested: []nestedRead{
				withOwn(accountRead("touchpoints"), func(r records) string { return r.touchpoint }),
				{
					query:      `query($parent: ID!) { node(id: $parent) { ... on Contact { touchpoints(first: 50) { totalCount edges { node { id } } } } } }`,
					parentOf:   func(r records) string { return r.contact },
					path:       []any{"node", "touchpoints"},
					connection: true,
					ownOf:      func(r records) string { return r.touchpoint },
				},
			},
		},
		{
			typeName: "Lead", prefix: id.Lead, idOf: func(r records) string { return r.lead }, root: "leads",
			mutations: []string{`mutation($id: ID!) { updateLead(id: $id, input: {companyName: "Renamed by org B"}) { id } }`},
			references: []reference{
				{`mutation($ref: String!) { createNote(input: {body: "Cross-org note", objectType: LEAD, objectID: $ref}) { id } }`, nil},
			},
		},
		{
			typeName: "ComplianceItem", prefix: id.ComplianceItem, idOf: func(r records) string { return r.compliance }, root: "complianceItems",
			nested: []nestedRead{withOwn(accountRead("complianceItems"), func(r records) string { return r.compliance })},
		},
		{
			typeName: "HealthSignal", prefix: id.HealthSignal, idOf: func(r records) string { return r.signal }, root: "healthSignals",
			nested: []nestedRead{withOwn(accountRead("healthSignals"), func(r records) string { return r.signal })},
		},
		{
			typeName: "ChurnRiskSnapshot", prefix: id.ChurnRiskSnapshot, idOf: func(r records) string { return r.snapshot },
			nested: []nestedRead{withOwn(accountRead("churnRiskSnapshots"), func(r records) string { return r.snapshot })},
		},
		{
			typeName: "User", prefix: id.User, idOf: func(r records) string { return r.user }, root: "users",
			nested: []nestedRead{{
				query:    `query($parent: ID!) { node(id: $parent) { ... on Deal { owner { id } } } }`,
				parentOf: func(r records) string { return r.deal },
				path:     []any{"node", "owner"},
			}},
			references: []reference{
				{`mutation($ref: ID!, $account: ID!) { createDeal(input: {name: "Cross-org owner", accountID: $account, ownerID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"account": r.account} })},
				{`mutation($ref: ID!, $id: ID!) { updateAccount(id: $id, input: {accountManagerID: $ref}) { id } }`, bVars(func(r records) map[string]any { return map[string]any{"id": r.account} })},
				{`mutation($ref: ID!) { createTask(input: {title: "Cross-org assignee", assigneeID: $ref}) { id } }`, nil},
				{`mutation($ref: ID!) { createLead(input: {companyName: "Cross-org owner", ownerID: $ref}) { id } }`, nil},
			},
		},
	}
}

// corruptOrgA points org A's child rows at org B's parents with raw SQL, as a
// bug in another write path could. The nested reads then prove that the org
// filter applies to every edge, not only to the references the hooks check.
// Org B's deal gets org A's user as its owner.
func (b *testBundle) corruptOrgA(t *testing.T, a, bRecords records) {
	t.Helper()
	updates := []struct{ table, column, value, id string }{
		{"accounts", "parent_account_id", bRecords.account, a.account},
		{"sites", "account_id", bRecords.account, a.site},
		{"account_contacts", "account_id", bRecords.account, a.accountContact},
		{"deals", "account_id", bRecords.account, a.deal},
		{"deal_contacts", "deal_id", bRecords.deal, a.dealContact},
		{"contracts", "account_id", bRecords.account, a.contract},
		{"service_lines", "contract_id", bRecords.contract, a.serviceLine},
		{"devices", "account_id", bRecords.account, a.device},
		{"devices", "site_id", bRecords.site, a.device},
		{"tasks", "account_id", bRecords.account, a.task},
		{"tasks", "deal_id", bRecords.deal, a.task},
		{"notes", "object_id", bRecords.account, a.note},
		{"touchpoints", "account_id", bRecords.account, a.touchpoint},
		{"touchpoints", "contact_id", bRecords.contact, a.touchpoint},
		{"compliance_items", "account_id", bRecords.account, a.compliance},
		{"health_signals", "account_id", bRecords.account, a.signal},
		{"churn_risk_snapshots", "account_id", bRecords.account, a.snapshot},
		{"deals", "owner_id", a.user, bRecords.deal},
	}
	statement := "UPDATE %s SET %s = ? WHERE id = ?"
	if b.app.DB.Dialect == dialect.Postgres {
		statement = "UPDATE %s SET %s = $1 WHERE id = $2"
	}
	for _, update := range updates {
		result, err := b.app.DB.SQL.Exec(fmt.Sprintf(statement, update.table, update.column), update.value, update.id)
		require.NoError(t, err)
		changed, err := result.RowsAffected()
		require.NoError(t, err)
		require.EqualValues(t, 1, changed, "corrupting %s.%s", update.table, update.column)
	}
}

// fieldName returns the first field a GraphQL document selects, to name a
// subtest after its mutation.
func fieldName(document string) string {
	return firstField.FindStringSubmatch(document)[1]
}

var firstField = regexp.MustCompile(`\{\s*(\w+)`)

// edgeName names the edge a nested query reads, such as Account.contacts, or
// returns its first field when the query reads no edge of a fragment.
func edgeName(document string) string {
	if match := fragmentEdge.FindStringSubmatch(document); match != nil {
		return match[1] + "." + match[2]
	}
	return fieldName(document)
}

var fragmentEdge = regexp.MustCompile(`\.\.\. on (\w+) \{ (\w+)`)

// normalized replaces the IDs in a response body with placeholders, so the
// response about one ID can be compared with the response about another.
func normalized(body string, ids map[string]string) string {
	for value, placeholder := range ids {
		body = strings.ReplaceAll(body, value, placeholder)
	}
	return body
}

// TestTenancyMatrix proves for every entity type that a key of org B, holding
// admin:read and every write scope, cannot read, change, delete or refer to a
// record of org A through any GraphQL field. Each response equals the one a
// nonexistent ID of the same type gets.
func TestTenancyMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgA := b.seed(t, b.orgA, "a", "ONLY_IN_ORG_A")
	orgB := b.seed(t, b.orgB, "b", "ONLY_IN_ORG_B")
	b.corruptOrgA(t, orgA, orgB)

	keyA := b.key(t, b.orgA, auth.AdminRead)
	keyB := b.key(t, b.orgB, orgBKeyScopes()...)

	for _, tc := range tenancyCases() {
		t.Run(tc.typeName, func(t *testing.T) {
			foreign := tc.idOf(orgA)
			own := tc.idOf(orgB)
			missing := id.New(tc.prefix)
			placeholders := map[string]string{foreign: "<ID>", missing: "<ID>"}

			if tc.root != "" {
				t.Run("root connection", func(t *testing.T) {
					query := fmt.Sprintf(`query($id: ID!) {
						all: %[1]s(first: 100) { totalCount edges { node { id } } }
						byID: %[1]s(where: {id: $id}) { totalCount edges { node { id } } }
					}`, tc.root)

					response := b.mustPost(t, keyB, query, map[string]any{"id": foreign})
					listed := response.connectionIDs(t, "all")
					require.NotContains(t, listed, foreign)
					require.Contains(t, listed, own)
					require.EqualValues(t, len(listed), response.value(t, "all", "totalCount"), "totalCount counts org B's records only")
					require.EqualValues(t, 0, response.value(t, "byID", "totalCount"))
					require.Empty(t, response.connectionIDs(t, "byID"))

					control := b.mustPost(t, keyB, query, map[string]any{"id": own})
					require.Equal(t, []string{own}, control.connectionIDs(t, "byID"), "where: {id} finds org B's own record")
				})
			}

			t.Run("node", func(t *testing.T) {
				query := fmt.Sprintf(`query($id: ID!) { node(id: $id) { id ... on %s { createdAt } } }`, tc.typeName)
				foreignResponse := b.post(t, keyB, query, map[string]any{"id": foreign})
				missingResponse := b.post(t, keyB, query, map[string]any{"id": missing})

				require.Nil(t, foreignResponse.value(t, "node"))
				require.Equal(t, []string{"not_found"}, foreignResponse.codes())
				require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders),
					"a record of another org looks exactly like a missing one")

				ownResponse := b.mustPost(t, keyB, query, map[string]any{"id": own})
				require.Equal(t, own, ownResponse.value(t, "node", "id"))
			})

			t.Run("nodes", func(t *testing.T) {
				query := `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
				foreignResponse := b.post(t, keyB, query, map[string]any{"ids": []string{foreign, own}})
				missingResponse := b.post(t, keyB, query, map[string]any{"ids": []string{missing, own}})

				require.Nil(t, foreignResponse.value(t, "nodes", 0))
				require.Equal(t, own, foreignResponse.value(t, "nodes", 1, "id"))
				require.NotContains(t, string(foreignResponse.Data), foreign)
				require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders))
			})

			for _, read := range tc.nested {
				t.Run("nested "+edgeName(read.query), func(t *testing.T) {
					response := b.mustPost(t, keyB, read.query, map[string]any{"parent": read.parentOf(orgB)})
					require.NotContains(t, string(response.Data), foreign, "an edge of an org-B record returned an org-A record")

					var found []string
					if read.connection {
						found = response.connectionIDs(t, read.path...)
						require.EqualValues(t, len(found), response.value(t, append(read.path, "totalCount")...))
					} else {
						found = response.listIDs(t, read.path...)
					}
					if read.ownOf != nil {
						require.Equal(t, []string{read.ownOf(orgB)}, found, "the edge returns org B's own record")
					}
				})
			}

			for _, mutation := range tc.mutations {
				t.Run(fieldName(mutation), func(t *testing.T) {
					readBack := fmt.Sprintf(`query($id: ID!) { node(id: $id) { id ... on %s { updatedAt } } }`, tc.typeName)
					before := b.mustPost(t, keyA, readBack, map[string]any{"id": foreign})
					census := b.census(t)

					foreignResponse := b.post(t, keyB, mutation, map[string]any{"id": foreign})
					missingResponse := b.post(t, keyB, mutation, map[string]any{"id": missing})

					require.Equal(t, []string{"not_found"}, foreignResponse.codes())
					require.True(t, foreignResponse.dataIsNull())
					require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders))
					require.Equal(t, census, b.census(t), "no row changed")

					after := b.mustPost(t, keyA, readBack, map[string]any{"id": foreign})
					require.Equal(t, before.Body, after.Body, "org A's record is unchanged")
				})
			}

			for _, ref := range tc.references {
				t.Run("reference "+fieldName(ref.query), func(t *testing.T) {
					variables := func(refID string) map[string]any {
						values := map[string]any{"ref": refID}
						if ref.variables != nil {
							for name, value := range ref.variables(orgB) {
								values[name] = value
							}
						}
						return values
					}
					census := b.census(t)

					foreignResponse := b.post(t, keyB, ref.query, variables(foreign))
					missingResponse := b.post(t, keyB, ref.query, variables(missing))

					require.Equal(t, []string{"validation_error"}, foreignResponse.codes(), foreignResponse.Body)
					require.True(t, foreignResponse.dataIsNull())
					require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders))
					require.Equal(t, census, b.census(t), "no row was written")
				})
			}
		})
	}

	t.Run("Org", func(t *testing.T) {
		query := `query($id: ID!) { node(id: $id) { id ... on Org { name } } }`
		foreignResponse := b.post(t, keyB, query, map[string]any{"id": b.orgA})
		missing := id.New(id.Org)
		missingResponse := b.post(t, keyB, query, map[string]any{"id": missing})

		require.Nil(t, foreignResponse.value(t, "node"))
		require.Equal(t, []string{"not_found"}, foreignResponse.codes())
		placeholders := map[string]string{b.orgA: "<ID>", missing: "<ID>"}
		require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders))
	})

	t.Run("stage key of another org", func(t *testing.T) {
		census := b.census(t)
		response := b.post(t, keyB, `mutation($account: ID!) { createDeal(input: {name: "Stage probe", accountID: $account, stage: "ONLY_IN_ORG_A"}) { id } }`,
			map[string]any{"account": orgB.account})

		require.Equal(t, []string{"validation_error"}, response.codes())
		_, validStages, found := strings.Cut(response.Errors[0].Message, "use one of")
		require.True(t, found, response.Errors[0].Message)
		require.Contains(t, validStages, "ONLY_IN_ORG_B")
		require.NotContains(t, validStages, "ONLY_IN_ORG_A", "the list of valid stages names org A's stage")
		require.Equal(t, census, b.census(t))
	})
}

// censusTables lists every table a GraphQL write can touch.
var censusTables = []string{
	"orgs", "users", "accounts", "sites", "contacts", "account_contacts", "deals", "deal_contacts",
	"pipeline_stages", "contracts", "service_lines", "devices", "tasks", "notes", "touchpoints",
	"leads", "compliance_items", "health_signals", "churn_risk_snapshots",
}

// census returns every row's ID and updated_at in every table, so comparing
// two censuses shows whether any row was created, changed or deleted.
func (b *testBundle) census(t *testing.T) map[string][]string {
	t.Helper()
	result := make(map[string][]string, len(censusTables))
	for _, table := range censusTables {
		rows, err := b.app.DB.SQL.Query("SELECT id, updated_at FROM " + table)
		require.NoError(t, err)
		var entries []string
		for rows.Next() {
			var rowID string
			var updatedAt any
			require.NoError(t, rows.Scan(&rowID, &updatedAt))
			entries = append(entries, fmt.Sprintf("%s@%v", rowID, updatedAt))
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		slices.Sort(entries)
		result[table] = entries
	}
	return result
}

// TestAuditEntriesTenancyAndScope proves that the audit log, which only the
// system writes, is read with admin:read alone and never across orgs: through
// the root field, node(id:) and nodes(ids:).
func TestAuditEntriesTenancyAndScope(t *testing.T) {
	t.Parallel()
	b := setup(t)
	auditEntry := func(orgID string) string {
		return b.client.AuditEntry.Create().
			SetOrgID(orgID).
			SetRequestID("req_0123456789abcdef").
			SetMethod("POST").
			SetPath("/graphql").
			SetStatus(200).
			SetDurationMs(3).
			SetClientIP("127.0.0.1").
			SaveX(b.system(orgID)).ID
	}
	foreign := auditEntry(b.orgA)
	own := auditEntry(b.orgB)
	missing := id.New(id.AuditEntry)
	keyB := b.key(t, b.orgB, auth.AdminRead)
	placeholders := map[string]string{foreign: "<ID>", missing: "<ID>"}

	t.Run("root connection", func(t *testing.T) {
		response := b.mustPost(t, keyB, `query($id: ID!) {
			all: auditEntries(first: 100) { totalCount edges { node { id } } }
			byID: auditEntries(where: {id: $id}) { totalCount }
		}`, map[string]any{"id": foreign})

		listed := response.connectionIDs(t, "all")
		require.Contains(t, listed, own)
		require.NotContains(t, listed, foreign)
		require.EqualValues(t, len(listed), response.value(t, "all", "totalCount"))
		require.EqualValues(t, 0, response.value(t, "byID", "totalCount"))
	})

	t.Run("node", func(t *testing.T) {
		query := `query($id: ID!) { node(id: $id) { id ... on AuditEntry { path } } }`
		ownResponse := b.mustPost(t, keyB, query, map[string]any{"id": own})
		require.Equal(t, own, ownResponse.value(t, "node", "id"))

		foreignResponse := b.post(t, keyB, query, map[string]any{"id": foreign})
		missingResponse := b.post(t, keyB, query, map[string]any{"id": missing})
		require.Nil(t, foreignResponse.value(t, "node"))
		require.Equal(t, []string{"not_found"}, foreignResponse.codes())
		require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders))
	})

	t.Run("nodes", func(t *testing.T) {
		query := `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
		foreignResponse := b.post(t, keyB, query, map[string]any{"ids": []string{foreign, own}})
		missingResponse := b.post(t, keyB, query, map[string]any{"ids": []string{missing, own}})
		require.Nil(t, foreignResponse.value(t, "nodes", 0))
		require.Equal(t, own, foreignResponse.value(t, "nodes", 1, "id"))
		require.Equal(t, normalized(missingResponse.Body, placeholders), normalized(foreignResponse.Body, placeholders))
	})

	t.Run("without admin:read", func(t *testing.T) {
		denied := b.key(t, b.orgB, scopesWithout(auth.AdminRead)...)
		response := b.post(t, denied, `{ auditEntries(first: 10) { edges { node { id } } } }`, nil)
		requireDenied(t, response, auth.AdminRead, own)

		response = b.post(t, denied, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": own})
		requireDenied(t, response, auth.AdminRead, own)
	})
}
