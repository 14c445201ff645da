package rest

import (
	"net/http"
	"strings"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/pagination"
)

// Operation is one endpoint of the API. The table of operations drives the
// router, and tests walk it to check every route's scope.
type Operation struct {
	Method string
	// Path is the chi pattern below /api/v1, such as /accounts/{id}.
	Path string
	// Scope is the scope the caller's key needs; "" means the endpoint needs
	// no authentication.
	Scope auth.Scope
	// AnyScope, when set, lets a key through with any one of these scopes
	// instead of Scope alone; Scope is then the first of them. The handler
	// narrows what each scope may see.
	AnyScope []auth.Scope
	Summary  string
	// List marks an endpoint that returns a page and takes limit, cursor,
	// sort and updatedAfter.
	List bool
	// Sorts lists the fields a list may be sorted by.
	Sorts []pagination.Field
	// DefaultSort replaces createdAt:desc as the order of a list whose
	// request names none.
	DefaultSort []pagination.Term
	// Filters lists the query parameters that filter a list.
	Filters []string
	// Doc describes the operation for the OpenAPI document, the Postman
	// collection and the HTML reference. A row without one is still served,
	// and TestOperationsDocumented names it.
	Doc Doc

	handle func(*api, *request) (result, error)
	// serveDocument, when set, writes the response itself instead of handle
	// and the envelope. The API documents use it to be served as they are.
	serveDocument func(*api, http.ResponseWriter, *http.Request)
}

// Operations returns a copy of the operation table.
func Operations() []Operation {
	copied := make([]Operation, len(operations))
	copy(copied, operations)
	return copied
}

// granted reports whether the principal may call the operation.
func (op *Operation) granted(principal *auth.Principal) bool {
	if len(op.AnyScope) > 0 {
		for _, scope := range op.AnyScope {
			if principal.Grants(scope) {
				return true
			}
		}
		return false
	}
	return op.Scope == "" || principal.Grants(op.Scope)
}

// missingScope returns the insufficient_scope error of the operation.
func (op *Operation) missingScope() error {
	if len(op.AnyScope) > 1 {
		names := make([]string, len(op.AnyScope))
		for i, scope := range op.AnyScope {
			names[i] = string(scope)
		}
		apiErr := apierr.MissingScope(string(op.AnyScope[0]))
		apiErr.Message = "this API key lacks every scope this endpoint accepts; create a key with one of " + strings.Join(names, ", ")
		return apiErr
	}
	return apierr.MissingScope(string(op.Scope))
}

// bulkDescription documents the rules every bulk endpoint shares.
const bulkDescription = "The whole batch is validated before anything is written, and every problem is reported at once with paths such as [\"devices\", 3, \"hostname\"]. A valid batch is written in one transaction. An item that changes nothing counts as updated but is not written."

// operations is the table of every endpoint.
var operations = []Operation{
	{Method: http.MethodGet, Path: "/status", Summary: "Report whether the service and its database are up; needs no key", Doc: Doc{Response: "Status", Tag: "meta", Extension: true, Errors: []apierr.Code{apierr.Unavailable}, Description: "Answers 503 service_unavailable, naming the failed component in error.details, when the database does not respond."}, handle: (*api).status},
	{Method: http.MethodGet, Path: "/openapi.json", Summary: "Get this API's OpenAPI 3.1 document; needs no key", Doc: Doc{Response: "OpenAPIDocument", Tag: "meta", OperationID: "getOpenAPIDocument"}, serveDocument: (*api).serveOpenAPI},
	{Method: http.MethodGet, Path: "/postman.json", Summary: "Get a Postman collection (v2.1) of this API; needs no key", Doc: Doc{Response: "PostmanCollection", Tag: "meta", OperationID: "getPostmanCollection"}, serveDocument: (*api).servePostman},

	{Method: http.MethodGet, Path: "/accounts", Scope: auth.AccountsRead, Summary: "List accounts", List: true, Sorts: accountSorts, Filters: []string{"lifecycleStatus", "industry"}, Doc: Doc{Response: "Account", Filters: accountFilters}, handle: (*api).listAccounts},
	{Method: http.MethodPost, Path: "/accounts", Scope: auth.AccountsWrite, Summary: "Create an account", Doc: Doc{Request: "AccountCreate", Response: "Account", Example: exampleAccountCreate}, handle: (*api).createAccount},
	{Method: http.MethodGet, Path: "/accounts/{id}", Scope: auth.AccountsRead, Summary: "Get an account", Doc: Doc{Response: "Account"}, handle: (*api).getAccount},
	{Method: http.MethodPatch, Path: "/accounts/{id}", Scope: auth.AccountsWrite, Summary: "Update an account", Doc: Doc{Request: "AccountUpdate", Response: "Account", Example: exampleAccountUpdate}, handle: (*api).updateAccount},
	{Method: http.MethodDelete, Path: "/accounts/{id}", Scope: auth.AccountsWrite, Summary: "Soft-delete an account (lifecycle to CHURNED); ?force=true deletes it for good", Doc: Doc{Response: "AccountOrDeleted", Query: accountDeleteQuery, Errors: accountDeleteErrors}, handle: (*api).deleteAccount},
	{Method: http.MethodGet, Path: "/accounts/{id}/sites", Scope: auth.AccountsRead, Summary: "List the sites of an account", List: true, Sorts: siteSorts, Doc: Doc{Response: "Site", Extension: true}, handle: (*api).listSites},
	{Method: http.MethodPost, Path: "/accounts/bulk", Scope: auth.AccountsWrite, Summary: "Create or update up to 500 accounts, matched by externalId", Doc: Doc{Request: "BulkAccountsRequest", Response: "BulkAccountsResult", Status: http.StatusOK, Example: exampleBulkAccounts, Description: bulkDescription}, handle: (*api).bulkAccounts},

	{Method: http.MethodGet, Path: "/contacts", Scope: auth.ContactsRead, Summary: "List contacts", List: true, Sorts: contactSorts, Filters: []string{"accountId"}, Doc: Doc{Response: "Contact", Filters: contactFilters}, handle: (*api).listContacts},
	{Method: http.MethodPost, Path: "/contacts", Scope: auth.ContactsWrite, Summary: "Create a contact, optionally linked to accounts", Doc: Doc{Request: "ContactCreate", Response: "Contact", Example: exampleContactCreate}, handle: (*api).createContact},
	{Method: http.MethodGet, Path: "/contacts/{id}", Scope: auth.ContactsRead, Summary: "Get a contact with its account relationships", Doc: Doc{Response: "Contact"}, handle: (*api).getContact},
	{Method: http.MethodPatch, Path: "/contacts/{id}", Scope: auth.ContactsWrite, Summary: "Update a contact", Doc: Doc{Request: "ContactUpdate", Response: "Contact", Example: exampleContactUpdate}, handle: (*api).updateContact},
	{Method: http.MethodPost, Path: "/contacts/bulk", Scope: auth.ContactsWrite, Summary: "Create or update up to 500 contacts, matched by email regardless of case", Doc: Doc{Request: "BulkContactsRequest", Response: "BulkContactsResult", Status: http.StatusOK, Example: exampleBulkContacts, Description: bulkDescription}, handle: (*api).bulkContacts},

	{Method: http.MethodGet, Path: "/deals", Scope: auth.DealsRead, Summary: "List deals", List: true, Sorts: dealSorts, Filters: []string{"stage", "accountId", "ownerId", "type"}, Doc: Doc{Response: "Deal", Filters: dealFilters}, handle: (*api).listDeals},
	{Method: http.MethodPost, Path: "/deals", Scope: auth.DealsWrite, Summary: "Create a deal", Doc: Doc{Request: "DealCreate", Response: "Deal", Example: exampleDealCreate}, handle: (*api).createDeal},
	{Method: http.MethodGet, Path: "/deals/{id}", Scope: auth.DealsRead, Summary: "Get a deal", Doc: Doc{Response: "Deal"}, handle: (*api).getDeal},
	{Method: http.MethodPatch, Path: "/deals/{id}", Scope: auth.DealsWrite, Summary: "Update a deal, including stage moves and Won/Lost outcomes", Doc: Doc{Request: "DealUpdate", Response: "Deal", Example: exampleDealUpdate}, handle: (*api).updateDeal},
	{Method: http.MethodGet, Path: "/pipeline-stages", Scope: auth.DealsRead, Summary: "List the org's pipeline stages in pipeline order", List: true, Sorts: stageSorts, DefaultSort: stageDefaultSort, Doc: Doc{Response: "PipelineStage", Tag: "deals", Extension: true}, handle: (*api).listStages},
	{Method: http.MethodPost, Path: "/deals/bulk", Scope: auth.DealsWrite, Summary: "Create up to 500 deals", Doc: Doc{Request: "BulkDealsRequest", Response: "BulkDealsResult", Status: http.StatusOK, Example: exampleBulkDeals, Description: bulkDescription}, handle: (*api).bulkDeals},

	{Method: http.MethodGet, Path: "/devices", Scope: auth.DevicesRead, Summary: "List devices", List: true, Sorts: deviceSorts, Filters: []string{"accountId", "isOnline", "isEndOfLife"}, Doc: Doc{Response: "Device", Filters: deviceFilters}, handle: (*api).listDevices},
	{Method: http.MethodPost, Path: "/devices", Scope: auth.DevicesWrite, Summary: "Create a device", Doc: Doc{Request: "DeviceCreate", Response: "Device", Example: exampleDeviceCreate}, handle: (*api).createDevice},
	{Method: http.MethodGet, Path: "/devices/{id}", Scope: auth.DevicesRead, Summary: "Get a device", Doc: Doc{Response: "Device"}, handle: (*api).getDevice},
	{Method: http.MethodPatch, Path: "/devices/{id}", Scope: auth.DevicesWrite, Summary: "Update a device", Doc: Doc{Request: "DeviceUpdate", Response: "Device", Example: exampleDeviceUpdate}, handle: (*api).updateDevice},
	{Method: http.MethodDelete, Path: "/devices/{id}", Scope: auth.DevicesWrite, Summary: "Delete a device for good", Doc: Doc{Response: "Deleted"}, handle: (*api).deleteDevice},
	{Method: http.MethodPost, Path: "/devices/bulk", Scope: auth.DevicesWrite, Summary: "Create or update up to 500 devices, matched by rmmAgentId", Doc: Doc{Request: "BulkDevicesRequest", Response: "BulkDevicesResult", Status: http.StatusOK, Example: exampleBulkDevices, Description: bulkDescription}, handle: (*api).bulkDevices},

	{Method: http.MethodGet, Path: "/tasks", Scope: auth.TasksRead, Summary: "List tasks", List: true, Sorts: taskSorts, Filters: []string{"status", "assigneeId", "accountId", "dealId"}, Doc: Doc{Response: "Task", Filters: taskFilters}, handle: (*api).listTasks},
	{Method: http.MethodPost, Path: "/tasks", Scope: auth.TasksWrite, Summary: "Create a task", Doc: Doc{Request: "TaskCreate", Response: "Task", Example: exampleTaskCreate}, handle: (*api).createTask},
	{Method: http.MethodGet, Path: "/tasks/{id}", Scope: auth.TasksRead, Summary: "Get a task", Doc: Doc{Response: "Task"}, handle: (*api).getTask},
	{Method: http.MethodPatch, Path: "/tasks/{id}", Scope: auth.TasksWrite, Summary: "Update a task; completedAt follows the status", Doc: Doc{Request: "TaskUpdate", Response: "Task", Example: exampleTaskUpdate}, handle: (*api).updateTask},
	{Method: http.MethodDelete, Path: "/tasks/{id}", Scope: auth.TasksWrite, Summary: "Delete a task for good", Doc: Doc{Response: "Deleted"}, handle: (*api).deleteTask},

	{Method: http.MethodGet, Path: "/notes", Scope: auth.NotesRead, Summary: "List notes", List: true, Sorts: noteSorts, Filters: []string{"objectType", "objectId"}, Doc: Doc{Response: "Note", Filters: noteFilters}, handle: (*api).listNotes},
	{Method: http.MethodPost, Path: "/notes", Scope: auth.NotesWrite, Summary: "Create a note on an account, deal, contract, lead or contact", Doc: Doc{Request: "NoteCreate", Response: "Note", Example: exampleNoteCreate}, handle: (*api).createNote},

	{Method: http.MethodGet, Path: "/touchpoints", Scope: auth.TouchpointsRead, Summary: "List touchpoints", List: true, Sorts: touchpointSorts, Filters: []string{"accountId", "type"}, Doc: Doc{Response: "Touchpoint", Filters: touchpointFilters}, handle: (*api).listTouchpoints},
	{Method: http.MethodPost, Path: "/touchpoints", Scope: auth.TouchpointsWrite, Summary: "Log a touchpoint", Doc: Doc{Request: "TouchpointCreate", Response: "Touchpoint", Example: exampleTouchpoint}, handle: (*api).createTouchpoint},

	{Method: http.MethodGet, Path: "/health-scores", Scope: auth.HealthRead, Summary: "List accounts with their current churn risk", List: true, Sorts: healthScoreSorts, Filters: []string{"level"}, Doc: Doc{Response: "HealthScore", Filters: healthScoreFilters}, handle: (*api).listHealthScores},
	{Method: http.MethodGet, Path: "/health-scores/{accountId}", Scope: auth.HealthRead, Summary: "Get an account's churn risk with its signal breakdown, 90-day history and settings", Doc: Doc{Response: "HealthScoreDetail"}, handle: (*api).getHealthScore},
	{Method: http.MethodPost, Path: "/health-scores/{accountId}/signals", Scope: auth.HealthWrite, Summary: "Push a churn-risk signal; the account's risk is recalculated about two seconds later", Doc: Doc{Request: "SignalPush", Response: "PushedSignal", Example: exampleSignalPush}, handle: (*api).pushSignal},
	{Method: http.MethodGet, Path: "/mrr", Scope: auth.MRRRead, Summary: "Get the org's MRR and ARR by service category", Doc: Doc{Response: "MRRSummary"}, handle: (*api).getMRR},
	{Method: http.MethodGet, Path: "/contracts", Scope: auth.ContractsRead, Summary: "List contracts with their service lines and MRR", List: true, Sorts: contractSorts, Filters: []string{"accountId", "status"}, Doc: Doc{Response: "Contract", Filters: contractFilters, Extension: true}, handle: (*api).listContracts},
	{Method: http.MethodGet, Path: "/contracts/{id}", Scope: auth.ContractsRead, Summary: "Get a contract with its service lines and MRR", Doc: Doc{Response: "Contract", Extension: true}, handle: (*api).getContract},
	{Method: http.MethodGet, Path: "/leads", Scope: auth.LeadsRead, Summary: "List leads with their ICP scores", List: true, Sorts: leadSorts, Filters: []string{"status", "source", "ownerId"}, Doc: Doc{Response: "Lead", Filters: leadFilters, Extension: true}, handle: (*api).listLeads},
	{Method: http.MethodPost, Path: "/leads", Scope: auth.LeadsWrite, Summary: "Create a lead; its ICP score is computed", Doc: Doc{Request: "LeadCreate", Response: "Lead", Example: exampleLeadCreate, Extension: true}, handle: (*api).createLead},
	{Method: http.MethodGet, Path: "/leads/{id}", Scope: auth.LeadsRead, Summary: "Get a lead with its ICP breakdown", Doc: Doc{Response: "Lead", Extension: true}, handle: (*api).getLead},
	{Method: http.MethodPatch, Path: "/leads/{id}", Scope: auth.LeadsWrite, Summary: "Update a lead; its ICP score is recomputed", Doc: Doc{Request: "LeadUpdate", Response: "Lead", Example: exampleLeadUpdate, Extension: true}, handle: (*api).updateLead},
	{Method: http.MethodPost, Path: "/leads/{id}/convert", Scope: auth.LeadsWrite, Summary: "Convert a lead into a PROSPECT account with its contact; also needs accounts:write and contacts:write", Doc: Doc{Response: "LeadConversion", Status: http.StatusOK, NoBody: true, Extension: true, Errors: []apierr.Code{apierr.ValidationError}, Description: "Takes no body. Answers 403 insufficient_scope when the key lacks accounts:write or contacts:write, and 422 validation_error when the lead is DISQUALIFIED. Converting a CONVERTED lead again creates nothing and returns its account and contact."}, handle: (*api).convertLead},
	{Method: http.MethodGet, Path: "/compliance-items", Scope: auth.ComplianceRead, Summary: "List compliance items", List: true, Sorts: complianceSorts, Filters: []string{"accountId", "framework", "status"}, Doc: Doc{Response: "ComplianceItem", Filters: complianceItemFilters, Extension: true}, handle: (*api).listComplianceItems},
	{Method: http.MethodGet, Path: "/compliance-status", Scope: auth.ComplianceRead, Summary: "Get each account's share of complete items per compliance framework", Filters: []string{"accountId", "framework"}, Doc: Doc{Response: "ComplianceStatus", Filters: complianceStatusFilters, Page: true, Extension: true, Description: "One row per account and framework that has items, sorted by account name and then framework. The list is not paged: hasMore is always false."}, handle: (*api).getComplianceStatus},

	{Method: http.MethodGet, Path: "/events", Scope: eventReadScopes[0].scope, AnyScope: eventScopes(), Summary: "List the last 30 days of events that the key may read, oldest first", Filters: []string{"type", "since"}, Doc: Doc{Response: "EventEnvelope", Filters: eventFilters, Query: eventQueryParams, Page: true, Extension: true, Description: "Each item is the JSON body that webhooks deliver for the event (see the webhooks of this document for the data of each event), including events of test-mode keys, which are recorded but never delivered. The key sees the events of the resources it may read (account, contact, deal, device, touchpoint, task) and gets 403 insufficient_scope when it may read none."}, handle: (*api).listEvents},
}
