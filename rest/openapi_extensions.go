package rest

import (
	"fmt"
	"math"
	"strings"

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

// Texts shared by the churn-risk schemas. The score is 100 − health, and the
// health is Σ subScore × weight ÷ 100 rounded half up (see churn.Evaluate).
const (
	healthSubScoreText         = "A health sub-score from 0 (at risk) to 100 (healthy)."
	scoreFromContributionsText = "The breakdown's contributions add up to the account's weighted health, from 0 to 100, because the weights add up to 100. " +
		"The score is 100 − round(Σ contribution), where round takes halves up: contributions that add up to 72.5 round to 73 and give a score of 27."
)

// signalRules describes how each signal's raw value maps to a health
// sub-score, as the functions of internal/churn/rules.go implement it.
var signalRules = map[churn.Signal]string{
	churn.OpenTickets: "0 → 100, 1 → 80, 2 → 60, 3 or more → 30, minus 20 when details.oldestAgeDays, the age of the oldest of them in days, is more than 7.",
	churn.CSATTrend: "The value is the percentage of satisfied responses out of all responses, not a 1–5 rating: send 92 for 92 % satisfied. " +
		"The sub-score is the percentage rounded half up.",
	churn.Utilization: "The value is billable hours as a percentage of the budget, so 118 is 18 % over budget. " +
		"Up to 110 → 100 (any value under budget included), above 110 up to 125 → 60, above 125 → 20.",
	churn.TouchpointRecency: "0–89 → 100, 90–120 → 70, 121–180 → 40, more → 10. " +
		"A pushed value counts only while the account has no touchpoint in Breadbox.",
	churn.DecisionMakerRecency: "The same rule as TOUCHPOINT_RECENCY. " +
		"A pushed value counts only while the account has no touchpoint with a contact linked to it as DECISION_MAKER or CHAMPION.",
	churn.StackStandardization: "The sub-score is the score rounded half up.",
	churn.PaymentHealth:        "0 or less (nothing overdue) → 100, above 0 up to 30 → 70, above 30 up to 60 → 40, above 60 → 10.",
	churn.RenewalProximity: "More than 180 → 100, 91–180 → 80, 31–90 → 50, 30 or less (a passed date included) → 30, plus 20 when details.autoRenew is true, at most 100. " +
		"A pushed value counts only while the account has no ACTIVE contract with a renewal or end date.",
	churn.EmployeeGrowth: "The change is over a year. 0 or more → 100, -10 to under 0 → 70, -25 to under -10 → 40, under -25 → 10.",
}

// rawValueDescription documents SignalPush.rawValue: each signal's unit and
// range from churn.RawRanges, and its rule from signalRules. A signal
// without a rule is reported as a problem of the schema set.
func rawValueDescription(s *schemaSet) string {
	lines := []string{
		"The measurement in the unit of the signal key. A value outside the key's range, or a fraction where a whole number is required, is a validation_error. " +
			"The rules below map the value to a health sub-score from 0 (at risk) to 100 (healthy). " +
			"The rules of OPEN_TICKETS, UTILIZATION, TOUCHPOINT_RECENCY and DECISION_MAKER_RECENCY are the published churn-risk rules; the rules of the other signals are this server's own.",
	}
	for _, signal := range churn.Signals {
		limits := churn.RawRanges[signal]
		kind := "a number"
		if limits.Whole {
			kind = "a whole number"
		}
		rule, ok := signalRules[signal]
		if !ok {
			s.problems = append(s.problems, fmt.Sprintf("SignalPush.rawValue has no rule for the signal %s; add it to signalRules", signal))
		}
		lines = append(lines, fmt.Sprintf("- `%s`: %s, %s from %g to %g. %s", signal, limits.Unit, kind, limits.Min, limits.Max, rule))
	}
	return strings.Join(lines, "\n")
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
		"input":        {Description: "The measurement the sub-score came from, in the signal's unit (see SignalPush.rawValue); null when the sub-score was pushed as it is or the signal has no data."},
		"subScore":     scoreSchema(healthSubScoreText + " A signal without data scores 50."),
		"weight":       {Description: "The signal's weight in the score at the calculation; the weights of a breakdown add up to 100.", Minimum: floatPointer(0)},
		"contribution": {Description: "The signal's share of the account's health: subScore × weight ÷ 100, not rounded, so it has at most two decimals. " + scoreFromContributionsText},
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
		"score":     scoreSchema("From 0 to 100; higher is riskier. " + scoreFromContributionsText),
		"level":     enumSchema(churnLevelValues),
		"stored":    {Description: "true when the score is the account's latest stored calculation. false when the account was never calculated, or when a recalculation is queued (after a write that changes its signals, such as a signal push or a touchpoint) and has not run yet. The score, breakdown and calculatedAt are then calculated at the time of the request and not stored."},
		"history":   {Description: "One entry per day with a calculation, oldest first."},
		"settings":  {Description: "The org's current settings; the weights of the breakdown are those in force at the calculation."},
	})
	s.reflect("HealthSignal", render.HealthSignalJSON{}, "A stored observation of a churn-risk signal.", fieldDocs{
		"id":        idSchema(id.HealthSignal),
		"accountId": idSchema(id.Account),
		"key":       signalKeys,
		"rawValue":  {Description: "The pushed measurement in the signal's unit (see SignalPush.rawValue); null when a sub-score was pushed."},
		"subScore":  scoreSchema(healthSubScoreText + " Null when a raw value was pushed."),
		"details":   {Description: "Extra facts; {} when none were sent."},
	})
	s.reflect("PushedChurnRisk", pushedRiskJSON{}, "The account's churn risk calculated with the pushed signal. The stored score and its snapshot follow from a queued recalculation that runs about two seconds after the last push of a burst, and at most 30 seconds after the first, so a sync is calculated once, or every 30 seconds while it lasts.", fieldDocs{
		"score": scoreSchema("From 0 to 100; higher is riskier. " + scoreFromContributionsText),
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
		Description: "One observation of a churn-risk signal. Send exactly one of rawValue, a measurement in the signal's unit, and subScore, a health sub-score from 0 (at risk) to 100 (healthy) used as it is.",
		OneOf:       []*Schema{{Required: []string{"rawValue"}}, {Required: []string{"subScore"}}},
		Properties: map[string]*Schema{
			"key":        enumSchema(churn.Signals),
			"rawValue":   {Type: "number", Description: rawValueDescription(s)},
			"subScore":   {Type: "integer", Minimum: floatPointer(0), Maximum: floatPointer(100), Description: healthSubScoreText + " It is used as it is, in place of a rawValue."},
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
