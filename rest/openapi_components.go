package rest

import (
	"fmt"

	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/rules"
)

// exampleID returns a well-formed ID of the type with the prefix, for
// examples. The Postman collection replaces it with a collection variable.
func exampleID(prefix string) string { return prefix + "_01JTV3M8Q4XKXB5N3E7W9YHZ2A" }

var churnRiskLevels = []account.ChurnRiskLevel{account.ChurnRiskLevelLOW, account.ChurnRiskLevelMEDIUM, account.ChurnRiskLevelHIGH}

// responseSchemas registers the schemas of the data that responses carry,
// reflected from the render types. The annotations add what the Go types
// cannot express: enums, date formats and ID patterns.
func responseSchemas(s *schemaSet) {
	s.reflect("ChurnRisk", render.ChurnRiskJSON{}, "An account's current churn risk.", fieldDocs{
		"score": {Description: "From 0 to 100; higher is riskier.", Minimum: floatPointer(0), Maximum: floatPointer(100)},
		"level": enumSchema(churnRiskLevels),
	})
	s.reflect("Account", render.AccountJSON{}, "An account: a client or prospect of the MSP.", fieldDocs{
		"id":                   idSchema(id.Account),
		"lifecycleStatus":      enumSchema(lifecycleStatuses),
		"slaTier":              enumSchema(slaTiers),
		"accountManagerId":     idSchema(id.User),
		"salesRepId":           idSchema(id.User),
		"parentAccountId":      idSchema(id.Account),
		"clientSince":          dateSchema(),
		"contractAnniversary":  dateSchema(),
		"fiscalYearEndMonth":   {Minimum: floatPointer(1), Maximum: floatPointer(12)},
		"complianceFrameworks": {Items: enumSchema(complianceFrameworks)},
		"currentMrr":           {Description: "Monthly recurring revenue of the account's active contracts, with at most two decimals."},
		"churnRisk":            {Description: "Null until the account's risk has been computed."},
	})
	s.reflect("Site", render.SiteJSON{}, "A location of an account.", fieldDocs{
		"id":        idSchema(id.Site),
		"accountId": idSchema(id.Account),
	})
	s.reflect("AccountRelation", render.AccountRelationJSON{}, "A contact's relationship with one account.", fieldDocs{
		"accountId": idSchema(id.Account),
		"influence": enumSchema(influences),
	})
	s.reflect("Contact", render.ContactJSON{}, "A person, with the accounts they are linked to.", fieldDocs{
		"id": idSchema(id.Contact),
	})
	s.reflect("Deal", render.DealJSON{}, "A deal in the sales pipeline.", fieldDocs{
		"id":                idSchema(id.Deal),
		"accountId":         idSchema(id.Account),
		"stage":             {Description: "The key of a stage of the org's pipeline; GET /pipeline-stages lists them."},
		"type":              enumSchema(dealTypes),
		"estimatedMrr":      {Minimum: floatPointer(0)},
		"probability":       {Minimum: floatPointer(0), Maximum: floatPointer(100)},
		"ownerId":           idSchema(id.User),
		"expectedCloseDate": dateSchema(),
		"closedAt":          {Description: "Set when the deal moves to a won or lost stage."},
	})
	s.reflect("PipelineStage", render.PipelineStageJSON{}, "A stage of the org's sales pipeline.", fieldDocs{
		"id":          idSchema(id.PipelineStage),
		"probability": {Minimum: floatPointer(0), Maximum: floatPointer(100)},
	})
	s.reflect("Device", render.DeviceJSON{}, "A managed device.", fieldDocs{
		"id":        idSchema(id.Device),
		"accountId": idSchema(id.Account),
		"siteId":    idSchema(id.Site),
	})
	s.reflect("Task", render.TaskJSON{}, "A task.", fieldDocs{
		"id":          idSchema(id.Task),
		"status":      enumSchema(taskStatuses),
		"priority":    enumSchema(taskPriorities),
		"dueDate":     dateSchema(),
		"assigneeId":  idSchema(id.User),
		"accountId":   idSchema(id.Account),
		"dealId":      idSchema(id.Deal),
		"completedAt": {Description: "Set when the status becomes DONE and cleared when it leaves DONE."},
	})
	s.reflect("Note", render.NoteJSON{}, "A note on an account, deal, contract, lead or contact.", fieldDocs{
		"id":         idSchema(id.Note),
		"objectType": enumSchema(noteObjectTypes),
		"objectId":   {Description: "The ID of the record of objectType that the note is on."},
		"authorId":   idSchema(id.User),
	})
	s.reflect("Touchpoint", render.TouchpointJSON{}, "A logged interaction with an account.", fieldDocs{
		"id":        idSchema(id.Touchpoint),
		"accountId": idSchema(id.Account),
		"contactId": idSchema(id.Contact),
		"type":      enumSchema(touchpointTypes),
		"direction": enumSchema(touchpointDirections),
	})
	s.reflect("Deleted", render.Deleted{}, "The result of a hard delete.", fieldDocs{
		"deleted": {Enum: []any{true}},
	})
	s.add("AccountOrDeleted", &Schema{
		OneOf:       []*Schema{ref("Account"), ref("Deleted")},
		Description: "The account, now CHURNED, after a soft delete; {\"id\", \"deleted\": true} after a delete with force=true.",
	})
	s.reflect("Status", statusJSON{}, "The state of the service.", fieldDocs{
		"status": {Enum: []any{"ok"}},
	})
}

// Text rules of request bodies. The patterns reject the NUL character, and
// nonBlank also a value of whitespace alone, as the body reader does.
const (
	noNUL    = `^[^\x00]*$`
	nonBlank = `^[^\x00]*[^\s\x00][^\x00]*$`
)

// textSchema is a string field read with rule.
func textSchema(rule textRule) *Schema {
	limit := rule.max
	if limit == 0 {
		limit = maxNameLength
	}
	schema := &Schema{Type: "string", MaxLength: intPointer(limit), Pattern: nonBlank}
	if rule.blank {
		schema.Pattern = noNUL
	}
	return schema
}

// websiteSchema is an account's website: a link that dashboards render.
func websiteSchema() *Schema {
	schema := textSchema(textRule{})
	schema.Description = "An http or https URL, or a host name or IP address with an optional port and path (acme.example:8443/portal). Other schemes, such as javascript: or data:, and user names in the address are rejected."
	return schema
}

// parentAccountSchema is the parent of an account in a request. The rules are
// those of rules.AccountParent.
func parentAccountSchema() *Schema {
	schema := referenceSchema(id.Account)
	schema.Description = fmt.Sprintf("The parent account: an account of the same org that is neither this account nor one of its descendants. "+
		"An account can have at most %d ancestors. null leaves the account without a parent.", rules.MaxAccountAncestors)
	return schema
}

// integerSchema is a whole number from minimum to maximum.
func integerSchema(minimum, maximum int) *Schema {
	return &Schema{Type: "integer", Minimum: floatPointer(float64(minimum)), Maximum: floatPointer(float64(maximum))}
}

// amountSchema is money in a request: not negative, at most money.MaxCents.
func amountSchema() *Schema {
	schema := moneySchema()
	schema.Minimum = floatPointer(0)
	schema.Maximum = floatPointer(money.MaxCents.Float())
	return schema
}

// referenceSchema is the ID of another record as a request names it: its
// type's prefix, an underscore and at most 64 characters in all. Whether the
// record exists in the org is checked after the body is read.
func referenceSchema(prefix string) *Schema {
	return &Schema{Type: "string", Pattern: "^" + prefix + "_.+$", MaxLength: intPointer(64), Examples: []any{exampleID(prefix)}}
}

// bodyField is one field of a request body with the rule its reader applies.
type bodyField struct {
	name     string
	schema   *Schema
	presence presence
	// createOnly leaves the field out of the update schema.
	createOnly bool
}

// addBodies registers the create and update schemas of a body whose reader
// reads fields. On create the required fields must be present; on update
// (PATCH) every field may be left out. Optional fields accept null, which
// clears them on update. Unknown and read-only fields are rejected.
func (s *schemaSet) addBodies(create, update, description string, fields []bodyField) {
	createSchema := &Schema{Type: "object", Description: description, Properties: map[string]*Schema{}, AdditionalProperties: false}
	var updateSchema *Schema
	if update != "" {
		updateSchema = &Schema{Type: "object", Description: description, Properties: map[string]*Schema{}, AdditionalProperties: false}
	}
	for _, field := range fields {
		property := field.schema
		if field.presence == optional {
			property = nullable(property)
		}
		createSchema.Properties[field.name] = property
		if field.presence == required {
			createSchema.Required = append(createSchema.Required, field.name)
		}
		if updateSchema != nil && !field.createOnly {
			updateSchema.Properties[field.name] = property
		}
	}
	s.add(create, createSchema)
	if updateSchema != nil {
		s.add(update, updateSchema)
	}
}

// requestSchemas registers the schemas of the request bodies. Each list
// mirrors the reader of its handler (readAccount, readContact, …) field by
// field; TestBodySchemasMatchReaders checks names and required fields
// against the running handlers.
func requestSchemas(s *schemaSet) {
	tag := textSchema(textRule{})
	s.addBodies("AccountCreate", "AccountUpdate", "The writable fields of an account. A list replaces the stored one; null or [] empties it.", []bodyField{
		{name: "name", schema: textSchema(textRule{}), presence: required},
		{name: "lifecycleStatus", schema: enumSchema(lifecycleStatuses), presence: notNull},
		{name: "industry", schema: textSchema(textRule{})},
		{name: "employeeCount", schema: integerSchema(0, 100_000_000)},
		{name: "externalId", schema: textSchema(textRule{})},
		{name: "website", schema: websiteSchema()},
		{name: "phone", schema: textSchema(textRule{max: 64})},
		{name: "slaTier", schema: enumSchema(slaTiers)},
		{name: "clientSince", schema: dateSchema()},
		{name: "contractAnniversary", schema: dateSchema()},
		{name: "fiscalYearEndMonth", schema: integerSchema(1, 12)},
		{name: "accountManagerId", schema: referenceSchema(id.User)},
		{name: "salesRepId", schema: referenceSchema(id.User)},
		{name: "parentAccountId", schema: parentAccountSchema()},
		{name: "complianceFrameworks", schema: &Schema{Type: "array", Items: enumSchema(complianceFrameworks), MaxItems: intPointer(maxListItems)}},
		{name: "tags", schema: &Schema{Type: "array", Items: tag, MaxItems: intPointer(maxListItems)}},
	})

	link := &Schema{
		Type: "object", Description: "A link of the new contact to one account.", AdditionalProperties: false,
		Required: []string{"accountId"},
		Properties: map[string]*Schema{
			"accountId": referenceSchema(id.Account),
			"role":      nullable(textSchema(textRule{})),
			"isPrimary": {Type: "boolean"},
			"influence": nullable(enumSchema(influences)),
		},
	}
	s.add("AccountLink", link)
	s.addBodies("ContactCreate", "ContactUpdate", "The writable fields of a contact. A create may link the contact to accounts with accountId or accounts, not both; an update cannot change the links.", []bodyField{
		{name: "firstName", schema: textSchema(textRule{}), presence: required},
		{name: "lastName", schema: textSchema(textRule{blank: true})},
		{name: "email", schema: textSchema(textRule{max: 320})},
		{name: "phone", schema: textSchema(textRule{max: 64})},
		{name: "title", schema: textSchema(textRule{})},
		{name: "accountId", schema: referenceSchema(id.Account), createOnly: true},
		{name: "accounts", schema: &Schema{Type: "array", Items: ref("AccountLink"), MaxItems: intPointer(maxAccountLinks)}, createOnly: true},
	})

	s.addBodies("DealCreate", "DealUpdate", "The writable fields of a deal. A stage move to a won or lost stage stamps closedAt.", []bodyField{
		{name: "name", schema: textSchema(textRule{}), presence: required},
		{name: "accountId", schema: referenceSchema(id.Account), presence: required},
		{name: "stage", schema: textSchema(textRule{max: maxStageKeyLength}), presence: notNull},
		{name: "type", schema: enumSchema(dealTypes), presence: notNull},
		{name: "estimatedMrr", schema: amountSchema()},
		{name: "probability", schema: integerSchema(0, 100)},
		{name: "expectedCloseDate", schema: dateSchema()},
		{name: "lossReason", schema: textSchema(textRule{})},
		{name: "ownerId", schema: referenceSchema(id.User)},
	})

	s.addBodies("DeviceCreate", "DeviceUpdate", "The writable fields of a device.", []bodyField{
		{name: "accountId", schema: referenceSchema(id.Account), presence: required},
		{name: "siteId", schema: referenceSchema(id.Site)},
		{name: "rmmAgentId", schema: textSchema(textRule{})},
		{name: "hostname", schema: textSchema(textRule{}), presence: required},
		{name: "os", schema: textSchema(textRule{})},
		{name: "deviceType", schema: textSchema(textRule{})},
		{name: "serialNumber", schema: textSchema(textRule{})},
		{name: "isOnline", schema: &Schema{Type: "boolean"}, presence: notNull},
		{name: "lastSeenAt", schema: &Schema{Type: "string", Format: "date-time"}},
		{name: "patchCompliant", schema: &Schema{Type: "boolean"}},
		{name: "isEndOfLife", schema: &Schema{Type: "boolean"}, presence: notNull},
		{name: "warrantyExpiresAt", schema: &Schema{Type: "string", Format: "date-time"}},
	})

	s.addBodies("TaskCreate", "TaskUpdate", "The writable fields of a task.", []bodyField{
		{name: "title", schema: textSchema(textRule{}), presence: required},
		{name: "description", schema: textSchema(textRule{max: maxLongText, blank: true})},
		{name: "status", schema: enumSchema(taskStatuses), presence: notNull},
		{name: "priority", schema: enumSchema(taskPriorities), presence: notNull},
		{name: "dueDate", schema: dateSchema()},
		{name: "assigneeId", schema: referenceSchema(id.User)},
		{name: "accountId", schema: referenceSchema(id.Account)},
		{name: "dealId", schema: referenceSchema(id.Deal)},
	})

	s.addBodies("NoteCreate", "", "A note on a record. objectId must name a record of objectType in the org.", []bodyField{
		{name: "body", schema: textSchema(textRule{max: maxLongText}), presence: required},
		{name: "objectType", schema: enumSchema(noteObjectTypes), presence: required},
		{name: "objectId", schema: textSchema(textRule{max: 64}), presence: required},
		{name: "authorId", schema: referenceSchema(id.User)},
	})

	s.addBodies("TouchpointCreate", "", "A touchpoint to log. occurredAt defaults to now and may be in the past, but not more than 5 minutes in the future.", []bodyField{
		{name: "accountId", schema: referenceSchema(id.Account), presence: required},
		{name: "contactId", schema: referenceSchema(id.Contact)},
		{name: "type", schema: enumSchema(touchpointTypes), presence: required},
		{name: "direction", schema: enumSchema(touchpointDirections)},
		{name: "subject", schema: textSchema(textRule{})},
		{name: "notes", schema: textSchema(textRule{max: maxLongText, blank: true})},
		{name: "outcome", schema: textSchema(textRule{})},
		{name: "occurredAt", schema: &Schema{Type: "string", Format: "date-time"}},
		{name: "source", schema: textSchema(textRule{})},
	})
}
