// Package webhook records the events of writes to accounts, contacts, deals,
// devices, touchpoints and tasks, and delivers them to the endpoints of their
// org as signed HTTP POSTs.
//
// An ent hook (EventHook) records each event in the transaction of the write
// that caused it, together with one PENDING Delivery per subscribed endpoint,
// so an event exists if and only if its write committed. The Delivery table is
// the durable queue: a Worker claims due deliveries with a lease, sends them
// and retries on a schedule. A Manager creates and changes endpoints, whose
// signing secrets are stored encrypted with the server's secret key.
package webhook

import (
	"fmt"
	"slices"
	"strings"
)

// The event names of the public API. The hard-delete events carry
// {"id": …, "hardDeleted": true} as their data.
const (
	AccountCreated    = "account.created"
	AccountUpdated    = "account.updated"
	AccountDeleted    = "account.deleted"
	ContactCreated    = "contact.created"
	ContactUpdated    = "contact.updated"
	DealCreated       = "deal.created"
	DealStageChanged  = "deal.stage_changed"
	DealClosedWon     = "deal.closed_won"
	DealClosedLost    = "deal.closed_lost"
	DeviceCreated     = "device.created"
	DeviceUpdated     = "device.updated"
	DeviceOffline     = "device.offline"
	DeviceEndOfLife   = "device.end_of_life"
	DeviceDeleted     = "device.deleted"
	TouchpointCreated = "touchpoint.created"
	TaskDeleted       = "task.deleted"
)

// AllEvents is the subscription that matches every event.
const AllEvents = "*"

// Events lists every event name an endpoint may subscribe to.
var Events = []string{
	AccountCreated, AccountUpdated, AccountDeleted,
	ContactCreated, ContactUpdated,
	DealCreated, DealStageChanged, DealClosedWon, DealClosedLost,
	DeviceCreated, DeviceUpdated, DeviceOffline, DeviceEndOfLife, DeviceDeleted,
	TouchpointCreated,
	TaskDeleted,
}

// KnownEvent reports whether name is one of Events.
func KnownEvent(name string) bool { return slices.Contains(Events, name) }

// NormalizeEvents validates a subscription: either "*" alone or known event
// names. Repeated names are dropped; the order is kept.
func NormalizeEvents(names []string) ([]string, error) {
	var normalized []string
	for _, name := range names {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			continue
		case name == AllEvents:
			if len(names) > 1 && slices.ContainsFunc(names, func(other string) bool {
				other = strings.TrimSpace(other)
				return other != "" && other != AllEvents
			}) {
				return nil, fmt.Errorf("events: %q subscribes to every event and cannot be combined with event names", AllEvents)
			}
			return []string{AllEvents}, nil
		case !KnownEvent(name):
			return nil, fmt.Errorf("events: %q is not an event name; use * or some of %s", name, strings.Join(Events, ", "))
		case !slices.Contains(normalized, name):
			normalized = append(normalized, name)
		}
	}
	if len(normalized) == 0 {
		return nil, fmt.Errorf("events: the list is empty; use * or some of %s", strings.Join(Events, ", "))
	}
	return normalized, nil
}

// subscribed reports whether a subscription includes the event.
func subscribed(subscription []string, event string) bool {
	return slices.Contains(subscription, AllEvents) || slices.Contains(subscription, event)
}
