package rest

import (
	"math"

	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/render"
)

// The schemas of the bulk, health-score, MRR, contract, lead and compliance
// endpoints, registered the same way as those of openapi_components.go.

var (
	serviceCategories = []serviceline.Category{
		serviceline.CategoryMANAGED_SERVICES, serviceline.CategorySECURITY, serviceline.CategoryBACKUP_DR,
		serviceline.CategoryCLOUD, serviceline.CategoryVOIP, serviceline.CategoryCONNECTIVITY,
		serviceline.CategoryHARDWARE_AS_A_SERVICE, serviceline.CategoryPROFESSIONAL_SERVICES,
		serviceline.CategoryLICENSING, serviceline.CategoryOTHER,
	}
	billingFrequencies = []serviceline.BillingFrequency{
		serviceline.BillingFrequencyMONTHLY, serviceline.BillingFrequencyQUARTERLY, serviceline.BillingFrequencySEMI_ANNUAL,
		serviceline.BillingFrequencyANNUAL, serviceline.BillingFrequencyONE_TIME,
	}
	churnLevelValues = []churn.Level{churn.LevelLow, churn.LevelMedium, churn.LevelHigh}
	bulkActions      = []bulk.Action{bulk.ActionCreated, bulk.ActionUpdated}
)

// percentSchema is a percentage from 0 to 100 with at most two decimals.
func percentSchema() *Schema {
	return &Schema{Minimum: floatPointer(0), Maximum: floatPointer(100), MultipleOf: 0.01}
}

// scoreSchema is a whole score from 0 to 100.
func scoreSchema(description string) *Schema {
	return &Schema{Description: description, Minimum: floatPointer(0), Maximum: floatPointer(100)}
}

// extensionResponseSchemas registers the data schemas of the endpoints that
// the public reference does not list, and of the bulk results. Nested types
// are registered before the types that use them.
func extensionResponseSchemas(s *schemaSet) {
	healthSchemas(s)

	s.reflect("MRRCategory", render.MRRCategoryJSON{}, "The MRR of one service category.", fieldDocs{
		"category": enumSchema(serviceCategories),
		"share":    {Description: "The category's percentage of the total MRR, with at most two decimals; the shares add up to 100 unless the total is 0.", Minimum: floatPointer(0), Maximum: floatPointer(100), MultipleOf: 0.01},
		"accounts": {Description: "The number of accounts whose MRR in the category is above zero.", Minimum: floatPointer(0)},
	})
	s.reflect("MRRSummary", render.MRRSummaryJSON{}, "The org's MRR and ARR by service category, from the service lines of ACTIVE contracts. Amounts carry no currency.", fieldDocs{
		"arr": {Description: "totalMrr × 12."},
	})

	s.reflect("ServiceLine", render.ServiceLineJSON{}, "A billed service of a contract.", fieldDocs{
		"id":               idSchema(id.ServiceLine),
		"category":         enumSchema(serviceCategories),
		"billingFrequency": enumSchema(billingFrequencies),
		"mrr":              {Description: "The line's price normalised to a month: quantity × unitPrice ÷ the months of its billing period; 0 for ONE_TIME."},
	})
	s.reflect("Contract", render.ContractJSON{}, "A contract of an account with its service lines.", fieldDocs{
		"id":          idSchema(id.Contract),
		"accountId":   idSchema(id.Account),
		"status":      enumSchema(contractStatuses),
		"startDate":   dateSchema(),
		"endDate":     dateSchema(),
		"renewalDate": dateSchema(),
		"mrr":         {Description: "The sum of the service lines' MRR whatever the status; only ACTIVE contracts count toward an account's currentMrr."},
	})

	s.reflect("IcpFactor", render.IcpFactorJSON{}, "The points one factor of the ICP score gave, out of its maximum, and why.", nil)
	s.reflect("Lead", render.LeadJSON{}, "A lead. icpScore, icpBreakdown, convertedAccountId and convertedContactId are computed and read-only.", fieldDocs{
		"id":                 idSchema(id.Lead),
		"source":             enumSchema(leadSources),
		"status":             enumSchema(leadStatuses),
		"ownerId":            idSchema(id.User),
		"icpScore":           scoreSchema("The ideal-customer-profile score; the factors' maxima add up to 100."),
		"convertedAccountId": {Description: "The account the lead was converted into; null until it is converted.", Pattern: idSchema(id.Account).Pattern},
		"convertedContactId": {Description: "The contact the conversion created or linked. Null until the lead is converted, when the lead had neither a contact name nor an email, and on leads converted before conversions recorded their contact.", Pattern: idSchema(id.Contact).Pattern},
	})
	s.reflect("LeadConversion", convertLeadJSON{}, "The result of a conversion: the lead, now CONVERTED, the PROSPECT account and the contact.", fieldDocs{
		"contact": {Description: "Null when the lead has neither a contact name nor an email, or, on a repeated conversion, when the contact that convertedContactId names no longer exists."},
	})

	s.reflect("ComplianceItem", render.ComplianceItemJSON{}, "A compliance item of an account.", fieldDocs{
		"id":          idSchema(id.ComplianceItem),
		"accountId":   idSchema(id.Account),
		"framework":   enumSchema(complianceFrameworks),
		"status":      enumSchema(complianceStatuses),
		"dueDate":     dateSchema(),
		"assigneeId":  idSchema(id.User),
		"completedAt": {Description: "When the item became COMPLETE; null otherwise."},
	})
	s.reflect("ComplianceStatus", complianceStatusJSON{}, "An account's progress on one compliance framework.", fieldDocs{
		"accountId":  idSchema(id.Account),
		"framework":  enumSchema(complianceFrameworks),
		"complete":   {Description: "The number of COMPLETE items.", Minimum: floatPointer(0)},
		"applicable": {Description: "The number of items that are not NOT_APPLICABLE.", Minimum: floatPointer(0)},
		"percent":    {Description: "complete ÷ applicable × 100, rounded half up to two decimals; null when no item applies.", Minimum: floatPointer(0), Maximum: floatPointer(100), MultipleOf: 0.01},
	})

	bulkResultSchemas(s)
}

func healthSchemas(s *schemaSet) {
	signalKeys := enumSchema(churn.Signals)
	s.reflect("CurrentChurnRisk", render.CurrentChurnRiskJSON{}, "An account's stored churn risk.", fieldDocs{
		"score":        scoreSchema("From 0 to 100; higher is riskier."),
		"level":        enumSchema(churnLevelValues),
		"calculatedAt": {Description: "The time of the latest stored calculation; null when it is unknown."},
	})
	s.reflect("HealthScore", render.HealthScoreJSON{}, "An account with its current churn risk.", fieldDocs{
		"id":              idSchema(id.Account),
		"lifecycleStatus": enumSchema(lifecycleStatuses),
		"churnRisk":       {Description: "Null until the account's risk has been calculated."},
	})
	s.reflect("SignalBreakdown", signalBreakdownJSON{}, "One signal's part of a churn-risk score.", fieldDocs{
		"key":          signalKeys,
		"input":        {Description: "The measurement the sub-score came from, in the signal's unit; null when the sub-score was pushed as it is or the signal has no data."},
		"subScore":     scoreSchema("The signal's risk from 0 to 100."),
		"weight":       {Description: "The signal's weight in the score at the calculation.", Minimum: floatPointer(0)},
		"contribution": {Description: "subScore × weight ÷ the sum of the weights."},
		"source":       {Description: "The tool that pushed the observation, or the data Breadbox derived it from, such as touchpoints or contracts."},
	})
	s.reflect("ChurnRiskDay", historyPointJSON{}, "The last calculation of one day.", fieldDocs{
		"day":   dateSchema(),
		"score": scoreSchema("From 0 to 100; higher is riskier."),
		"level": enumSchema(churnLevelValues),
	})
	s.reflect("ChurnThresholds", churn.Thresholds{}, "The level cut-offs: LOW up to lowMax, MEDIUM up to mediumMax, HIGH above.", fieldDocs{
		"lowMax":    scoreSchema(""),
		"mediumMax": scoreSchema(""),
	})
	s.reflect("ChurnSettings", churnSettingsJSON{}, "The org's churn-risk settings.", fieldDocs{
		"weights": {Description: "The weight of each signal, keyed by signal."},
	})
	s.reflect("HealthScoreDetail", churnRiskDetailJSON{}, "An account's churn risk with its signal breakdown, its daily history over 90 days and the org's settings.", fieldDocs{
		"accountId": idSchema(id.Account),
		"score":     scoreSchema("From 0 to 100; higher is riskier."),
		"level":     enumSchema(churnLevelValues),
		"stored":    {Description: "false for an account never calculated, whose risk was calculated for this response only."},
		"history":   {Description: "One entry per day with a calculation, oldest first."},
		"settings":  {Description: "The org's current settings; the weights of the breakdown are those in force at the calculation."},
	})
	s.reflect("HealthSignal", render.HealthSignalJSON{}, "A stored observation of a churn-risk signal.", fieldDocs{
		"id":        idSchema(id.HealthSignal),
		"accountId": idSchema(id.Account),
		"key":       signalKeys,
		"subScore":  scoreSchema(""),
		"details":   {Description: "Extra facts; {} when none were sent."},
	})
	s.reflect("PushedChurnRisk", pushedRiskJSON{}, "The account's churn risk calculated with the pushed signal. The stored score and its snapshot follow from a recalculation queued for about two seconds later, which the other pushes of the same sync join.", fieldDocs{
		"score": scoreSchema("From 0 to 100; higher is riskier."),
		"level": enumSchema(churnLevelValues),
	})
	s.reflect("PushedSignal", pushedSignalJSON{}, "The stored observation and the account's churn risk calculated with it.", nil)
}

func bulkResultSchemas(s *schemaSet) {
	action := enumSchema(bulkActions)
	action.Description = "created for a new record; updated for an existing one, even when nothing changed."
	s.reflect("BulkAccountResult", bulk.AccountResult{}, "The outcome of one item, in input order.", fieldDocs{"id": idSchema(id.Account), "action": action})
	s.reflect("BulkAccountsResult", bulk.AccountsResult{}, "The outcome of a bulk write of accounts.", nil)
	s.reflect("BulkContactResult", bulk.ContactResult{}, "The outcome of one item, in input order.", fieldDocs{"id": idSchema(id.Contact), "action": action})
	s.reflect("BulkContactsResult", bulk.ContactsResult{}, "The outcome of a bulk write of contacts.", nil)
	s.reflect("BulkDeviceResult", bulk.DeviceResult{}, "The outcome of one item, in input order.", fieldDocs{"id": idSchema(id.Device), "action": action})
	s.reflect("BulkDevicesResult", bulk.DevicesResult{}, "The outcome of a bulk write of devices.", nil)
	s.reflect("BulkDealResult", bulk.DealResult{}, "The outcome of one item, in input order.", fieldDocs{"id": idSchema(id.Deal), "action": {Enum: []any{string(bulk.ActionCreated)}}})
	s.reflect("BulkDealsResult", bulk.DealsResult{}, "The outcome of a bulk create of deals.", fieldDocs{"updated": {Enum: []any{0}}})
}

// Text rules of bulk items, which internal/bulk checks (see its validate.go):
// a key must not be blank, a required text not empty, and no text may
// contain NUL.
func bulkKeySchema(limit int) *Schema {
	return &Schema{Type: "string", MaxLength: intPointer(limit), Pattern: nonBlank}
}

func bulkRequiredText(limit int) *Schema {
	return &Schema{Type: "string", MinLength: intPointer(1), MaxLength: intPointer(limit), Pattern: noNUL}
}

func bulkText(limit int) *Schema {
	return nullable(&Schema{Type: "string", MaxLength: intPointer(limit), Pattern: noNUL})
}

// bulkReference is the ID of another record: its type's prefix, an
// underscore and at least one character. Whether it exists in the org is
// checked with the whole batch.
func bulkReference(prefix string) *Schema {
	return &Schema{Type: "string", Pattern: "^" + prefix + "_.+$", Examples: []any{exampleID(prefix)}}
}

// bulkItemSchema is an object of the given properties; required lists those
// every item needs.
func bulkItemSchema(description string, required []string, properties map[string]*Schema) *Schema {
	return &Schema{Type: "object", Description: description, AdditionalProperties: false, Required: required, Properties: properties}
}

// bulkBodySchema is the body {"<list>": [item, …]} of a bulk endpoint.
func bulkBodySchema(list, item, description string) *Schema {
	return &Schema{
		Type: "object", Description: description, AdditionalProperties: false, Required: []string{list},
		Properties: map[string]*Schema{list: {Type: "array", Items: ref(item), MaxItems: intPointer(bulk.MaxItems)}},
	}
}

// extensionRequestSchemas registers the request bodies of the bulk, signal
// and lead endpoints. The bulk items mirror the Validate methods of
// internal/bulk; the others mirror pushSignal and readLead.
func extensionRequestSchemas(s *schemaSet) {
	strings := &Schema{Type: []string{"array", "null"}, Items: &Schema{Type: "string", MaxLength: intPointer(maxNameLength), Pattern: noNUL}}
	frameworks := &Schema{Type: []string{"array", "null"}, Items: enumSchema(complianceFrameworks)}
	s.add("BulkAccountItem", bulkItemSchema("An account to create or update, matched by externalId within the org. A new account needs name; an absent field keeps the stored value and null clears an optional one.", []string{"externalId"}, map[string]*Schema{
		"externalId":           bulkKeySchema(maxNameLength),
		"name":                 bulkRequiredText(maxNameLength),
		"lifecycleStatus":      enumSchema(lifecycleStatuses),
		"industry":             bulkText(maxNameLength),
		"employeeCount":        nullable(integerSchema(0, math.MaxInt32)),
		"website":              bulkText(maxNameLength),
		"phone":                bulkText(64),
		"slaTier":              nullable(enumSchema(slaTiers)),
		"accountManagerId":     nullable(bulkReference(id.User)),
		"salesRepId":           nullable(bulkReference(id.User)),
		"parentAccountId":      nullable(bulkReference(id.Account)),
		"clientSince":          nullable(dateSchema()),
		"contractAnniversary":  nullable(dateSchema()),
		"fiscalYearEndMonth":   nullable(integerSchema(1, 12)),
		"complianceFrameworks": frameworks,
		"tags":                 strings,
	}))
	s.add("BulkAccountsRequest", bulkBodySchema("accounts", "BulkAccountItem", "Up to 500 accounts to create or update; each externalId at most once."))

	s.add("BulkAccountLink", &Schema{
		Type: "object", Description: "A link of the contact to one account.", AdditionalProperties: false, Required: []string{"accountId"},
		Properties: map[string]*Schema{
			"accountId": bulkReference(id.Account),
			"role":      bulkText(maxNameLength),
			"isPrimary": {Type: "boolean"},
			"influence": nullable(enumSchema([]accountcontact.Influence{accountcontact.InfluenceCHAMPION, accountcontact.InfluenceDECISION_MAKER, accountcontact.InfluenceGATEKEEPER, accountcontact.InfluenceDETRACTOR})),
		},
	})
	s.add("BulkContactItem", bulkItemSchema("A contact to create or update, matched by email regardless of case within the org. A new contact needs firstName. It may be linked to accounts with accountId or accounts, not both.", []string{"email"}, map[string]*Schema{
		"email":     bulkKeySchema(320),
		"firstName": bulkRequiredText(maxNameLength),
		"lastName":  bulkText(maxNameLength),
		"phone":     bulkText(64),
		"title":     bulkText(maxNameLength),
		"accountId": nullable(bulkReference(id.Account)),
		"accounts":  {Type: []string{"array", "null"}, Items: ref("BulkAccountLink")},
	}))
	s.add("BulkContactsRequest", bulkBodySchema("contacts", "BulkContactItem", "Up to 500 contacts to create or update; each email at most once."))

	dateTime := nullable(&Schema{Type: "string", Format: "date-time"})
	s.add("BulkDeviceItem", bulkItemSchema("A device to create or update, matched by rmmAgentId within the org. A new device needs accountId and hostname.", []string{"rmmAgentId"}, map[string]*Schema{
		"rmmAgentId":        bulkKeySchema(maxNameLength),
		"accountId":         bulkReference(id.Account),
		"siteId":            nullable(bulkReference(id.Site)),
		"hostname":          bulkRequiredText(maxNameLength),
		"os":                bulkText(maxNameLength),
		"deviceType":        bulkText(maxNameLength),
		"serialNumber":      bulkText(maxNameLength),
		"isOnline":          {Type: "boolean"},
		"lastSeenAt":        dateTime,
		"patchCompliant":    {Type: []string{"boolean", "null"}},
		"isEndOfLife":       {Type: "boolean"},
		"warrantyExpiresAt": dateTime,
	}))
	s.add("BulkDevicesRequest", bulkBodySchema("devices", "BulkDeviceItem", "Up to 500 devices to create or update; each rmmAgentId at most once."))

	amount := amountSchema()
	s.add("BulkDealItem", bulkItemSchema("A deal to create. stage defaults to the first stage of the org's pipeline.", []string{"name", "accountId"}, map[string]*Schema{
		"name":              bulkRequiredText(maxNameLength),
		"accountId":         bulkReference(id.Account),
		"stage":             {Type: "string", Description: "The key of a stage of the org's pipeline; GET /pipeline-stages lists them."},
		"type":              enumSchema(dealTypes),
		"estimatedMrr":      nullable(amount),
		"probability":       nullable(integerSchema(0, 100)),
		"ownerId":           nullable(bulkReference(id.User)),
		"expectedCloseDate": nullable(dateSchema()),
		"lossReason":        bulkText(maxNameLength),
	}))
	s.add("BulkDealsRequest", bulkBodySchema("deals", "BulkDealItem", "Up to 500 deals to create."))

	s.add("SignalPush", &Schema{
		Type: "object", AdditionalProperties: false, Required: []string{"key", "source"},
		Description: "One observation of a churn-risk signal. Send exactly one of rawValue, in the signal's unit, and subScore, a risk from 0 to 100 used as it is.",
		OneOf:       []*Schema{{Required: []string{"rawValue"}}, {Required: []string{"subScore"}}},
		Properties: map[string]*Schema{
			"key":        enumSchema(churn.Signals),
			"rawValue":   {Type: "number", Description: "The measurement in the signal's unit; its range depends on the key."},
			"subScore":   integerSchema(0, 100),
			"source":     textSchema(textRule{max: churn.MaxSourceLength}),
			"observedAt": nullable(&Schema{Type: "string", Format: "date-time", Description: "Defaults to the time of the push; at most a few minutes in the future."}),
			"expiresAt":  nullable(&Schema{Type: "string", Format: "date-time", Description: "Ends the observation's use; must be after observedAt."}),
			"details":    {Type: []string{"object", "null"}, Description: "Extra facts: OPEN_TICKETS reads oldestAgeDays (days, 0 or more) and RENEWAL_PROXIMITY reads autoRenew (a boolean)."},
		},
	})

	// CONVERTED is left out: only POST /leads/{id}/convert sets it.
	writableStatuses := make([]lead.Status, 0, len(leadStatuses))
	for _, status := range leadStatuses {
		if status != lead.StatusCONVERTED {
			writableStatuses = append(writableStatuses, status)
		}
	}
	s.addBodies("LeadCreate", "LeadUpdate", "The writable fields of a lead; every write recomputes its ICP score. status cannot be set to CONVERTED, which only a conversion sets, nor changed on a CONVERTED lead.", []bodyField{
		{name: "companyName", schema: textSchema(textRule{}), presence: required},
		{name: "contactName", schema: textSchema(textRule{})},
		{name: "email", schema: textSchema(textRule{max: 320})},
		{name: "phone", schema: textSchema(textRule{max: 64})},
		{name: "industry", schema: textSchema(textRule{})},
		{name: "employeeCount", schema: integerSchema(0, 100_000_000)},
		{name: "itStaffCount", schema: integerSchema(0, 100_000_000)},
		{name: "source", schema: enumSchema(leadSources), presence: notNull},
		{name: "status", schema: enumSchema(writableStatuses), presence: notNull},
		{name: "ownerId", schema: referenceSchema(id.User)},
	})
}
