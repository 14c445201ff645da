// Package idempotency makes POST, PATCH and DELETE requests (and GraphQL
// mutations) sent with an Idempotency-Key safe to retry: the first request
// runs, its response is stored in the request's own transaction, and a retry
// with the same key and body replays it.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/idempotencyrecord"
	"github.com/breadbox/breadbox/internal/auth"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// TTL is how long a completed record is replayed.
const TTL = 24 * time.Hour

// LockTimeout is how long a first attempt may run before a retry presumes it
// crashed and runs the request itself. It exceeds the server's write timeout.
const LockTimeout = 2 * time.Minute

var keyPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// ValidKey reports whether a key matches [a-zA-Z0-9_-]{1,255}.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// Fingerprint identifies a request by method, path and the canonical form of
// its JSON body, so key order and whitespace do not matter. A body that is not
// JSON is fingerprinted byte for byte.
func Fingerprint(method, path string, body []byte) string {
	hash := sha256.New()
	hash.Write([]byte(method))
	hash.Write([]byte{0})
	hash.Write([]byte(path))
	hash.Write([]byte{0})
	hash.Write(canonicalJSON(body))
	return hex.EncodeToString(hash.Sum(nil))
}

// canonicalJSON re-encodes a JSON document with sorted object keys and no
// insignificant whitespace; numbers keep their exact text.
func canonicalJSON(body []byte) []byte {
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil || decoder.More() {
		return body
	}
	canonical, err := json.Marshal(value)
	if err != nil {
		return body
	}
	return canonical
}

// Outcome is what a request must do with its key.
type Outcome int

// The outcomes of Begin.
const (
	// Run: the key was claimed; run the request and complete or release it.
	Run Outcome = iota
	// Replay: a completed record with the same fingerprint exists.
	Replay
	// Conflict: the key was used with another request.
	Conflict
	// InProgress: another request with the key is still running.
	InProgress
)

// Store reads and writes idempotency records.
type Store struct {
	client *ent.Client
	now    func() time.Time
}

// NewStore returns a store over the client.
func NewStore(client *ent.Client) *Store {
	return &Store{client: client, now: time.Now}
}

func systemContext(ctx context.Context, orgID string) context.Context {
	return auth.SystemContext(ctx, orgID)
}

// Begin claims the key for a request, or says why it cannot run. The claim is
// committed at once, outside the request's transaction, so concurrent
// duplicates see it.
func (s *Store) Begin(ctx context.Context, orgID, key, fingerprint string) (Outcome, *ent.IdempotencyRecord, error) {
	ctx = systemContext(ctx, orgID)
	now := s.now().UTC()

	for attempt := 0; attempt < 3; attempt++ {
		record, err := s.client.IdempotencyRecord.Query().
			Where(idempotencyrecord.OrgID(orgID), idempotencyrecord.Key(key)).
			Only(ctx)
		switch {
		case ent.IsNotFound(err):
			created, err := s.client.IdempotencyRecord.Create().
				SetOrgID(orgID).
				SetKey(key).
				SetFingerprint(fingerprint).
				SetLockedUntil(now.Add(LockTimeout)).
				SetExpiresAt(now.Add(TTL)).
				Save(ctx)
			if ent.IsConstraintError(err) {
				continue // another request claimed it first; read its record
			}
			if err != nil {
				return 0, nil, fmt.Errorf("claiming idempotency key: %w", err)
			}
			return Run, created, nil
		case err != nil:
			return 0, nil, fmt.Errorf("reading idempotency record: %w", err)
		}

		if !record.ExpiresAt.After(now) || (record.State == idempotencyrecord.StateIN_PROGRESS && !record.LockedUntil.After(now)) {
			// An expired record, or a claim whose request died: take it over.
			if s.takeOver(ctx, record, fingerprint, now) {
				record, err = s.client.IdempotencyRecord.Get(ctx, record.ID)
				if err != nil {
					return 0, nil, fmt.Errorf("reading idempotency record: %w", err)
				}
				return Run, record, nil
			}
			continue
		}

		switch {
		case record.Fingerprint != fingerprint:
			return Conflict, record, nil
		case record.State == idempotencyrecord.StateIN_PROGRESS:
			return InProgress, record, nil
		default:
			return Replay, record, nil
		}
	}
	return InProgress, nil, nil
}

// takeOver replaces an expired or abandoned record, guarding on its old lock
// so two retries cannot both take it.
func (s *Store) takeOver(ctx context.Context, record *ent.IdempotencyRecord, fingerprint string, now time.Time) bool {
	// The fingerprint is immutable, so a reused expired key gets a new row.
	deleted, err := s.client.IdempotencyRecord.Delete().
		Where(
			idempotencyrecord.ID(record.ID),
			idempotencyrecord.LockedUntil(record.LockedUntil),
			idempotencyrecord.UpdatedAt(record.UpdatedAt),
		).
		Exec(ctx)
	if err != nil || deleted == 0 {
		return false
	}
	_, err = s.client.IdempotencyRecord.Create().
		SetID(record.ID).
		SetOrgID(record.OrgID).
		SetKey(record.Key).
		SetFingerprint(fingerprint).
		SetLockedUntil(now.Add(LockTimeout)).
		SetExpiresAt(now.Add(TTL)).
		Save(ctx)
	return err == nil
}

// Response is a stored response.
type Response struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// Complete stores the response of a claimed key with client, which is the
// request transaction's client when the response is a committed write.
func Complete(ctx context.Context, client *ent.Client, record *ent.IdempotencyRecord, response Response) error {
	err := client.IdempotencyRecord.UpdateOneID(record.ID).
		SetState(idempotencyrecord.StateCOMPLETED).
		SetResponseStatus(response.Status).
		SetResponseHeaders(response.Headers).
		SetResponseBody(response.Body).
		Exec(systemContext(ctx, record.OrgID))
	if err != nil {
		return fmt.Errorf("storing the idempotent response: %w", err)
	}
	return nil
}

// Complete stores a response outside any request transaction.
func (s *Store) Complete(ctx context.Context, record *ent.IdempotencyRecord, response Response) error {
	return Complete(ctx, s.client, record, response)
}

// Release deletes a claim whose request failed with a server error or a rate
// limit, so a retry runs the request again.
func (s *Store) Release(ctx context.Context, record *ent.IdempotencyRecord) error {
	err := s.client.IdempotencyRecord.DeleteOneID(record.ID).Exec(systemContext(ctx, record.OrgID))
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("releasing idempotency key: %w", err)
	}
	return nil
}

// Cleanup deletes expired records and returns how many it deleted.
func (s *Store) Cleanup(ctx context.Context) (int, error) {
	ctx = auth.WithPrincipal(ctx, &auth.Principal{System: true})
	deleted, err := s.client.IdempotencyRecord.Delete().
		Where(idempotencyrecord.ExpiresAtLT(s.now().UTC())).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("deleting expired idempotency records: %w", err)
	}
	return deleted, nil
}
