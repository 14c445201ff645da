package rest

import (
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
)

// The documentation that rows of the operation table refer to: filters and
// example request bodies. Examples use exampleID for the IDs they name, and
// the REST tests send every example to a running server.

var (
	accountFilters = []Param{
		filterEnum("lifecycleStatus", lifecycleStatuses, "Only accounts in this lifecycle status."),
		filterText("industry", "Only accounts of this industry, compared case-insensitively."),
	}
	contactFilters = []Param{
		filterID("accountId", id.Account, "Only contacts linked to this account."),
	}
	dealFilters = []Param{
		{Name: "stage", Description: "Only deals in this stage: a key of the org's pipeline (GET /pipeline-stages); another key is a validation_error listing the valid ones.", Schema: &Schema{Type: "string", MaxLength: intPointer(maxStageKeyLength)}},
		filterID("accountId", id.Account, "Only deals of this account."),
		filterID("ownerId", id.User, "Only deals owned by this user."),
		filterEnum("type", dealTypes, "Only deals of this type."),
	}
	deviceFilters = []Param{
		filterID("accountId", id.Account, "Only devices of this account."),
		filterBool("isOnline", "Only devices that are (true) or are not (false) online."),
		filterBool("isEndOfLife", "Only devices that are (true) or are not (false) end-of-life."),
	}
	taskFilters = []Param{
		filterEnum("status", taskStatuses, "Only tasks in this status."),
		filterID("assigneeId", id.User, "Only tasks assigned to this user."),
		filterID("accountId", id.Account, "Only tasks on this account."),
		filterID("dealId", id.Deal, "Only tasks on this deal."),
	}
	noteFilters = []Param{
		filterEnum("objectType", noteObjectTypes, "Only notes on records of this type."),
		{Name: "objectId", Description: "Only notes on this record.", Schema: &Schema{Type: "string", Pattern: cursorPattern.String()}},
	}
	touchpointFilters = []Param{
		filterID("accountId", id.Account, "Only touchpoints of this account."),
		filterEnum("type", touchpointTypes, "Only touchpoints of this type."),
	}

	accountDeleteQuery = []Param{{
		Name:        "force",
		Description: "true deletes the account and every record that belongs to it for good and returns {\"id\", \"deleted\": true}; false or absent moves it to CHURNED and returns it.",
		Schema:      &Schema{Type: "boolean"},
	}}
	accountDeleteErrors = []apierr.Code{apierr.ValidationError}
)

// Example request bodies.
var (
	exampleAccountCreate = map[string]any{
		"name": "Acme Healthcare", "lifecycleStatus": "PROSPECT", "industry": "Healthcare", "employeeCount": 65,
		"website": "https://acme.example.com", "slaTier": "GOLD", "clientSince": "2024-01-15", "fiscalYearEndMonth": 6,
		"complianceFrameworks": []string{"HIPAA"}, "tags": []string{"healthcare", "multi-site"},
	}
	exampleAccountUpdate = map[string]any{"lifecycleStatus": "ACTIVE", "employeeCount": 70, "phone": nil}
	exampleContactCreate = map[string]any{
		"firstName": "Sarah", "lastName": "Chen", "email": "sarah.chen@acme.example.com", "title": "Office Manager",
		"accounts": []map[string]any{{"accountId": exampleID(id.Account), "role": "Budget owner", "isPrimary": true, "influence": "DECISION_MAKER"}},
	}
	exampleContactUpdate = map[string]any{"title": "Operations Director", "phone": "+1 555 0100"}
	exampleDealCreate    = map[string]any{
		"name": "Acme Corp — Managed IT", "accountId": exampleID(id.Account), "type": "NEW_LOGO",
		"estimatedMrr": 3500, "probability": 60, "expectedCloseDate": "2026-09-30",
	}
	exampleDealUpdate   = map[string]any{"stage": "NEGOTIATION", "estimatedMrr": 3750.5}
	exampleDeviceCreate = map[string]any{
		"accountId": exampleID(id.Account), "rmmAgentId": "ninja-12345", "hostname": "WS-SMITH-01", "os": "Windows 11",
		"deviceType": "Workstation", "isOnline": true, "patchCompliant": true, "lastSeenAt": "2026-05-06T18:42:11.443Z",
	}
	exampleDeviceUpdate = map[string]any{"isOnline": false, "patchCompliant": nil}
	exampleTaskCreate   = map[string]any{
		"title": "Schedule the QBR", "description": "Book the quarterly review with Sarah.", "priority": "HIGH",
		"dueDate": "2026-06-01", "accountId": exampleID(id.Account), "dealId": exampleID(id.Deal),
	}
	exampleTaskUpdate = map[string]any{"status": "DONE"}
	exampleNoteCreate = map[string]any{"body": "Renewal call went well; they want a quote for two more sites.", "objectType": "ACCOUNT", "objectId": exampleID(id.Account)}
	exampleTouchpoint = map[string]any{
		"accountId": exampleID(id.Account), "contactId": exampleID(id.Contact), "type": "EMAIL", "direction": "OUTBOUND",
		"subject": "Renewal terms", "notes": "Sent draft contract to Sarah", "occurredAt": "2026-05-06T18:42:11.443Z", "source": "HubSpot",
	}
)

// The documentation of the bulk, health-score, contract, lead, compliance and
// event rows.
var (
	healthScoreFilters = []Param{filterEnum("level", churnLevels, "Only accounts whose current churn risk is at this level.")}
	contractFilters    = []Param{
		filterID("accountId", id.Account, "Only contracts of this account."),
		filterEnum("status", contractStatuses, "Only contracts in this status."),
	}
	leadFilters = []Param{
		filterEnum("status", leadStatuses, "Only leads in this status."),
		filterEnum("source", leadSources, "Only leads from this source."),
		filterID("ownerId", id.User, "Only leads owned by this user."),
	}
	complianceItemFilters = []Param{
		filterID("accountId", id.Account, "Only items of this account."),
		filterEnum("framework", complianceFrameworks, "Only items of this framework."),
		filterEnum("status", complianceStatuses, "Only items in this status."),
	}
	complianceStatusFilters = []Param{
		filterID("accountId", id.Account, "Only this account."),
		filterEnum("framework", complianceFrameworks, "Only this framework."),
	}
	eventFilters = []Param{
		{Name: "type", Description: "Comma-separated event names, such as deal.closed_won,deal.closed_lost; the parameter may be repeated. Names the key may not read are dropped, and an unknown name is a validation_error.", Schema: &Schema{Type: "string", Examples: []any{"deal.closed_won,deal.closed_lost"}}},
		{Name: "since", Description: "RFC 3339 time, inclusive: only events from it on. The feed never reaches back more than 30 days.", Schema: &Schema{Type: "string", Format: "date-time", Examples: []any{"2026-05-01T00:00:00Z"}}},
	}
	eventQueryParams = []Param{
		{Name: "limit", Description: "Page size, 50 by default; larger values are clamped to 100, and a value below 1 or not a whole number is a validation_error.", Schema: &Schema{Type: "integer", Minimum: floatPointer(1)}},
		{Name: "cursor", Description: "The nextCursor of the previous page: the ID of its last event. A malformed cursor is a validation_error.", Schema: &Schema{Type: "string", Pattern: eventIDPattern.String()}},
	}
)

// Example request bodies of the bulk, signal and lead rows.
var (
	exampleBulkAccounts = map[string]any{"accounts": []map[string]any{
		{"externalId": "psa-1001", "name": "Northwind Dental", "lifecycleStatus": "ACTIVE", "employeeCount": 25, "slaTier": "SILVER"},
		{"externalId": "psa-1002", "name": "Contoso Legal", "industry": "Legal", "tags": []string{"law"}},
	}}
	exampleBulkContacts = map[string]any{"contacts": []map[string]any{
		{"email": "jo.park@acme.example.com", "firstName": "Jo", "lastName": "Park", "accountId": exampleID(id.Account)},
	}}
	exampleBulkDeals = map[string]any{"deals": []map[string]any{
		{"name": "Acme — Backup add-on", "accountId": exampleID(id.Account), "type": "EXPANSION", "estimatedMrr": 450.25, "expectedCloseDate": "2026-08-31"},
	}}
	exampleBulkDevices = map[string]any{"devices": []map[string]any{
		{"rmmAgentId": "ninja-20001", "accountId": exampleID(id.Account), "hostname": "SRV-DC-01", "os": "Windows Server 2022", "isOnline": true, "lastSeenAt": "2026-05-06T18:42:11.443Z"},
	}}
	exampleSignalPush = map[string]any{"key": "OPEN_TICKETS", "rawValue": 12, "source": "connectwise", "details": map[string]any{"oldestAgeDays": 9}}
	exampleLeadCreate = map[string]any{
		"companyName": "Fabrikam Clinics", "contactName": "Dana Ortiz", "email": "dana@fabrikam.example.com", "industry": "Healthcare",
		"employeeCount": 80, "itStaffCount": 1, "source": "REFERRAL",
	}
	exampleLeadUpdate = map[string]any{"status": "QUALIFIED", "phone": "+1 555 0142"}
)
