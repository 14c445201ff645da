// Package id generates the prefixed, k-sortable string IDs of every entity
// (acc_01JD…, dev_01JD…) and maps a prefix back to the entity it names.
package id

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// Prefixes of the entity IDs. The body after the underscore is a ULID, so IDs of
// one type sort by creation time.
const (
	Org               = "org"
	User              = "user"
	APIKey            = "key"
	Account           = "acc"
	Site              = "site"
	Contact           = "con"
	AccountContact    = "acr"
	Deal              = "deal"
	DealContact       = "dcr"
	PipelineStage     = "stg"
	Contract          = "ctr"
	ServiceLine       = "svl"
	Device            = "dev"
	Task              = "task"
	Note              = "note"
	Touchpoint        = "tp"
	Lead              = "lead"
	ComplianceItem    = "cmp"
	HealthSignal      = "sig"
	ChurnRiskSnapshot = "crs"
	WebhookEndpoint   = "whe"
	IdempotencyRecord = "idem"
	AuditEntry        = "aud"
	Delivery          = "dlv"
	DeliveryAttempt   = "att"
)

var (
	entropyMu sync.Mutex
	entropy   = ulid.Monotonic(rand.Reader, 0)
)

// New returns a fresh ID with the given prefix.
func New(prefix string) string {
	entropyMu.Lock()
	body := ulid.MustNew(ulid.Timestamp(time.Now()), entropy)
	entropyMu.Unlock()

	return prefix + "_" + body.String()
}

// Prefix returns the type prefix of an ID, or "" when the ID has none.
func Prefix(value string) string {
	prefix, _, ok := strings.Cut(value, "_")
	if !ok {
		return ""
	}
	return prefix
}

// HasPrefix reports whether value is an ID of the entity named by prefix.
func HasPrefix(value, prefix string) bool {
	return Prefix(value) == prefix && len(value) > len(prefix)+1
}

// NewEventID returns an event ID in the reference's form:
// evt_<unix seconds>_<8 hex characters>.
func NewEventID(now time.Time) string {
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	return fmt.Sprintf("evt_%d_%s", now.Unix(), hex.EncodeToString(suffix[:]))
}
