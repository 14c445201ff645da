package rest

import (
	"net/http"

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
	Scope   auth.Scope
	Summary string
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

	handle func(*api, *request) (result, error)
}

// Operations returns a copy of the operation table.
func Operations() []Operation {
	copied := make([]Operation, len(operations))
	copy(copied, operations)
	return copied
}

// bulkPaths are the bulk upsert endpoints, whose algorithms live in
// internal/bulk. Until their operations join the table they are not found.
var bulkPaths = []string{"/accounts/bulk", "/contacts/bulk", "/deals/bulk", "/devices/bulk"}

// operations is the table of every endpoint.
var operations = []Operation{
	{Method: http.MethodGet, Path: "/status", Summary: "Report whether the service and its database are up; needs no key", handle: (*api).status},

	{Method: http.MethodGet, Path: "/accounts", Scope: auth.AccountsRead, Summary: "List accounts", List: true, Sorts: accountSorts, Filters: []string{"lifecycleStatus", "industry"}, handle: (*api).listAccounts},
	{Method: http.MethodPost, Path: "/accounts", Scope: auth.AccountsWrite, Summary: "Create an account", handle: (*api).createAccount},
	{Method: http.MethodGet, Path: "/accounts/{id}", Scope: auth.AccountsRead, Summary: "Get an account", handle: (*api).getAccount},
	{Method: http.MethodPatch, Path: "/accounts/{id}", Scope: auth.AccountsWrite, Summary: "Update an account", handle: (*api).updateAccount},
	{Method: http.MethodDelete, Path: "/accounts/{id}", Scope: auth.AccountsWrite, Summary: "Soft-delete an account (lifecycle to CHURNED); ?force=true deletes it for good", handle: (*api).deleteAccount},
	{Method: http.MethodGet, Path: "/accounts/{id}/sites", Scope: auth.AccountsRead, Summary: "List the sites of an account", List: true, Sorts: siteSorts, handle: (*api).listSites},

	{Method: http.MethodGet, Path: "/contacts", Scope: auth.ContactsRead, Summary: "List contacts", List: true, Sorts: contactSorts, Filters: []string{"accountId"}, handle: (*api).listContacts},
	{Method: http.MethodPost, Path: "/contacts", Scope: auth.ContactsWrite, Summary: "Create a contact, optionally linked to accounts", handle: (*api).createContact},
	{Method: http.MethodGet, Path: "/contacts/{id}", Scope: auth.ContactsRead, Summary: "Get a contact with its account relationships", handle: (*api).getContact},
	{Method: http.MethodPatch, Path: "/contacts/{id}", Scope: auth.ContactsWrite, Summary: "Update a contact", handle: (*api).updateContact},

	{Method: http.MethodGet, Path: "/deals", Scope: auth.DealsRead, Summary: "List deals", List: true, Sorts: dealSorts, Filters: []string{"stage", "accountId", "ownerId", "type"}, handle: (*api).listDeals},
	{Method: http.MethodPost, Path: "/deals", Scope: auth.DealsWrite, Summary: "Create a deal", handle: (*api).createDeal},
	{Method: http.MethodGet, Path: "/deals/{id}", Scope: auth.DealsRead, Summary: "Get a deal", handle: (*api).getDeal},
	{Method: http.MethodPatch, Path: "/deals/{id}", Scope: auth.DealsWrite, Summary: "Update a deal, including stage moves and Won/Lost outcomes", handle: (*api).updateDeal},
	{Method: http.MethodGet, Path: "/pipeline-stages", Scope: auth.DealsRead, Summary: "List the org's pipeline stages in pipeline order", List: true, Sorts: stageSorts, DefaultSort: stageDefaultSort, handle: (*api).listStages},

	{Method: http.MethodGet, Path: "/devices", Scope: auth.DevicesRead, Summary: "List devices", List: true, Sorts: deviceSorts, Filters: []string{"accountId", "isOnline", "isEndOfLife"}, handle: (*api).listDevices},
	{Method: http.MethodPost, Path: "/devices", Scope: auth.DevicesWrite, Summary: "Create a device", handle: (*api).createDevice},
	{Method: http.MethodGet, Path: "/devices/{id}", Scope: auth.DevicesRead, Summary: "Get a device", handle: (*api).getDevice},
	{Method: http.MethodPatch, Path: "/devices/{id}", Scope: auth.DevicesWrite, Summary: "Update a device", handle: (*api).updateDevice},
	{Method: http.MethodDelete, Path: "/devices/{id}", Scope: auth.DevicesWrite, Summary: "Delete a device for good", handle: (*api).deleteDevice},

	{Method: http.MethodGet, Path: "/tasks", Scope: auth.TasksRead, Summary: "List tasks", List: true, Sorts: taskSorts, Filters: []string{"status", "assigneeId", "accountId", "dealId"}, handle: (*api).listTasks},
	{Method: http.MethodPost, Path: "/tasks", Scope: auth.TasksWrite, Summary: "Create a task", handle: (*api).createTask},
	{Method: http.MethodGet, Path: "/tasks/{id}", Scope: auth.TasksRead, Summary: "Get a task", handle: (*api).getTask},
	{Method: http.MethodPatch, Path: "/tasks/{id}", Scope: auth.TasksWrite, Summary: "Update a task; completedAt follows the status", handle: (*api).updateTask},
	{Method: http.MethodDelete, Path: "/tasks/{id}", Scope: auth.TasksWrite, Summary: "Delete a task for good", handle: (*api).deleteTask},

	{Method: http.MethodGet, Path: "/notes", Scope: auth.NotesRead, Summary: "List notes", List: true, Sorts: noteSorts, Filters: []string{"objectType", "objectId"}, handle: (*api).listNotes},
	{Method: http.MethodPost, Path: "/notes", Scope: auth.NotesWrite, Summary: "Create a note on an account, deal, contract, lead or contact", handle: (*api).createNote},

	{Method: http.MethodGet, Path: "/touchpoints", Scope: auth.TouchpointsRead, Summary: "List touchpoints", List: true, Sorts: touchpointSorts, Filters: []string{"accountId", "type"}, handle: (*api).listTouchpoints},
	{Method: http.MethodPost, Path: "/touchpoints", Scope: auth.TouchpointsWrite, Summary: "Log a touchpoint", handle: (*api).createTouchpoint},
}
