package rest

import (
	"slices"
	"strings"

	"github.com/breadbox/breadbox/internal/webhook"
)

// referenceEvents are the event names the public reference lists. The others
// are extensions.
var referenceEvents = []string{
	"account.created", "account.updated", "account.deleted",
	"contact.created", "contact.updated",
	"deal.created", "deal.stage_changed", "deal.closed_won", "deal.closed_lost",
	"device.created", "device.updated", "device.offline", "device.end_of_life",
	"touchpoint.created",
}

// eventDataSchemas maps the resource part of an event name to the schema of
// its data, which is the same shape as the resource's GET response.
var eventDataSchemas = map[string]string{
	"account":    "Account",
	"contact":    "Contact",
	"deal":       "Deal",
	"device":     "Device",
	"touchpoint": "Touchpoint",
	"task":       "Task",
}

// eventData returns the schema of an event's data. A delete event carries
// {"id", "hardDeleted": true}, except that account.deleted also fires on a
// soft delete with the account, now CHURNED. An event of an unknown resource
// gets an empty schema, which TestWebhooksDocumented reports.
func eventData(event string) *Schema {
	resource, action, _ := strings.Cut(event, ".")
	name, known := eventDataSchemas[resource]
	switch {
	case !known:
		return &Schema{Description: "NOTE: not documented yet."}
	case action == "deleted" && resource == "account":
		return &Schema{OneOf: []*Schema{ref(name), ref("HardDeletedEvent")}}
	case action == "deleted":
		return ref("HardDeletedEvent")
	}
	return ref(name)
}

// buildWebhooks describes each event that webhook endpoints receive.
func buildWebhooks(s *schemaSet) map[string]map[string]*OpenAPIOperation {
	s.add("HardDeletedEvent", &Schema{
		Type: "object", AdditionalProperties: false, Required: []string{"id", "hardDeleted"},
		Description: "The data of an event about a record deleted for good.",
		Properties: map[string]*Schema{
			"id":          {Type: "string", Pattern: "^[a-z]+_[0-9A-Za-z]{1,60}$"},
			"hardDeleted": {Const: true},
		},
	})
	s.add("EventEnvelope", &Schema{
		Type: "object", AdditionalProperties: false, Required: []string{"id", "event", "timestamp", "orgId", "data"},
		Description: "The body of every webhook delivery, signed byte for byte.",
		Properties: map[string]*Schema{
			"id":        {Type: "string", Pattern: "^evt_[0-9]+_[0-9a-f]{8}$", Examples: []any{"evt_1762470120_a1b2c3d4"}},
			"event":     {Type: "string", Enum: stringsToAny(webhook.Events)},
			"timestamp": ref("Timestamp"),
			"orgId":     {Type: "string", Pattern: "^org_[0-9A-Za-z]{1,60}$"},
			"data":      {Description: "The record as GET returns it, or HardDeletedEvent."},
		},
	})

	headers := []*OpenAPIParameter{
		{Name: "Breadbox-Signature", In: "header", Required: true, Schema: &Schema{Type: "string", Pattern: "^t=[0-9]+,v1=[0-9a-f]{64}(,v1=[0-9a-f]{64})*$"},
			Description: "t=<Unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\"> with the endpoint's signing secret. Reject a timestamp older than 5 minutes. While a secret is rotated both secrets sign, each in its own v1."},
		{Name: "Breadbox-Event", In: "header", Required: true, Schema: stringSchema(), Description: "The event name."},
		{Name: "Breadbox-Event-Id", In: "header", Required: true, Schema: stringSchema(), Description: "The event ID, equal to id in the body; use it to drop duplicates."},
		{Name: "X-MSP-Signature", In: "header", Schema: stringSchema(), Description: "Legacy: hex HMAC-SHA256 of the raw body alone. Use Breadbox-Signature."},
		{Name: "X-MSP-Timestamp", In: "header", Schema: stringSchema(), Description: "Legacy: the signing time in Unix seconds."},
	}

	webhooks := map[string]map[string]*OpenAPIOperation{}
	for _, event := range webhook.Events {
		envelope := eventEnvelope(event)
		webhooks[event] = map[string]*OpenAPIOperation{"post": {
			OperationID: "event_" + strings.ReplaceAll(event, ".", "_"),
			Summary:     event,
			Description: "Delivered as a POST to each enabled endpoint subscribed to it (or to *). A 2xx within 10 seconds is success; anything else, a redirect included, is retried with exponential backoff up to 5 attempts. An endpoint whose deliveries fail 5 times in a row is disabled.",
			Tags:        []string{"webhooks"},
			Extension:   !slices.Contains(referenceEvents, event),
			Parameters:  headers,
			RequestBody: &OpenAPIRequestBody{Required: true, Content: map[string]*OpenAPIMedia{jsonContent: {Schema: envelope}}},
			Responses: map[string]*OpenAPIResponse{
				"2XX": {Description: "The receiver accepted the event."},
			},
		}}
	}
	return webhooks
}

// eventEnvelope is the body of one event: EventEnvelope with the event's name
// and data.
func eventEnvelope(event string) *Schema {
	return &Schema{AllOf: []*Schema{
		ref("EventEnvelope"),
		{Properties: map[string]*Schema{"event": {Const: event}, "data": eventData(event)}},
	}}
}

// webhookData returns the data schema of a webhook operation that
// buildWebhooks made.
func webhookData(op *OpenAPIOperation) *Schema {
	return op.RequestBody.Content[jsonContent].Schema.AllOf[1].Properties["data"]
}

func stringsToAny(values []string) []any {
	converted := make([]any, len(values))
	for i, value := range values {
		converted[i] = value
	}
	return converted
}
