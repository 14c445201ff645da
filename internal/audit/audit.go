// Package audit records one entry for every API call on REST and GraphQL.
// Entries of writes commit in the write's transaction; entries of reads and of
// rejected calls go through a bounded buffer that a background writer drains
// in batches, off the request path, and flushes on shutdown.
package audit

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/auditentry"
	"github.com/breadbox/breadbox/internal/auth"
)

// Entry is one audited call.
type Entry struct {
	OrgID          string
	RequestID      string
	KeyID          string
	TestMode       bool
	Method         string
	Path           string
	OperationName  string
	Status         int
	ErrorCode      string
	Duration       time.Duration
	ClientIP       string
	UserAgent      string
	IdempotencyKey string
	Replayed       bool
	At             time.Time
}

// Config configures a Log.
type Config struct {
	// BufferSize bounds the entries waiting to be written. Default 10,000.
	BufferSize int
	// BatchSize is the most entries written in one statement. Default 200.
	BatchSize int
	// FlushInterval is the longest an entry waits in the buffer. Default 1 s.
	FlushInterval time.Duration
	// Retention is how long entries are kept; zero keeps them forever.
	Retention time.Duration
	// Postgres, when set, is the pgx pool of a PostgreSQL database; buffered
	// entries are then written with COPY instead of INSERT.
	Postgres *sql.DB
}

// Log writes audit entries.
type Log struct {
	client  *ent.Client
	config  Config
	entries chan Entry
	dropped atomic.Int64
	done    chan struct{}
	once    sync.Once
}

// New returns a Log; call Run to start its background writer.
func New(client *ent.Client, config Config) *Log {
	if config.BufferSize <= 0 {
		config.BufferSize = 10_000
	}
	if config.BatchSize <= 0 {
		config.BatchSize = 200
	}
	if config.FlushInterval <= 0 {
		config.FlushInterval = time.Second
	}
	return &Log{client: client, config: config, entries: make(chan Entry, config.BufferSize), done: make(chan struct{})}
}

// systemContext writes entries as the system, outside any org filter.
func systemContext(ctx context.Context) context.Context {
	return auth.WithPrincipal(ctx, &auth.Principal{System: true})
}

// Write inserts an entry with the given client, which is the transaction's
// client when the entry must commit with a write.
func Write(ctx context.Context, client *ent.Client, entry Entry) error {
	return builder(client, entry).Exec(systemContext(ctx))
}

// Enqueue hands an entry to the background writer. When the buffer stays full
// for 100 ms the entry is dropped and counted, so a slow database never
// stalls requests without bound.
func (l *Log) Enqueue(entry Entry) {
	select {
	case l.entries <- entry:
		return
	default:
	}
	timer := time.NewTimer(100 * time.Millisecond)
	defer timer.Stop()
	select {
	case l.entries <- entry:
	case <-timer.C:
		if l.dropped.Add(1)%100 == 1 {
			slog.Warn("audit buffer full; dropping entries", "dropped_total", l.dropped.Load(), "request_id", entry.RequestID)
		}
	}
}

// Run writes buffered entries until ctx ends, then drains the buffer, and
// deletes entries older than the retention once an hour.
func (l *Log) Run(ctx context.Context) {
	defer close(l.done)
	ticker := time.NewTicker(l.config.FlushInterval)
	defer ticker.Stop()
	cleanup := time.NewTicker(time.Hour)
	defer cleanup.Stop()

	batch := make([]Entry, 0, l.config.BatchSize)
	for {
		select {
		case entry := <-l.entries:
			batch = append(batch, entry)
			if len(batch) >= l.config.BatchSize {
				batch = l.writeBatch(ctx, batch)
			}
		case <-ticker.C:
			batch = l.writeBatch(ctx, batch)
		case <-cleanup.C:
			l.Cleanup(ctx)
		case <-ctx.Done():
			drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			l.drain(drainCtx, batch)
			cancel()
			return
		}
	}
}

// Wait blocks until Run has returned.
func (l *Log) Wait() { <-l.done }

func (l *Log) drain(ctx context.Context, batch []Entry) {
	for {
		select {
		case entry := <-l.entries:
			batch = append(batch, entry)
			if len(batch) >= l.config.BatchSize {
				batch = l.writeBatch(ctx, batch)
			}
		default:
			l.writeBatch(ctx, batch)
			return
		}
	}
}

func (l *Log) writeBatch(ctx context.Context, batch []Entry) []Entry {
	if len(batch) == 0 {
		return batch
	}
	if l.config.Postgres != nil {
		if err := copyBatch(ctx, l.config.Postgres, batch); err != nil {
			slog.ErrorContext(ctx, "writing audit entries failed", "entries", len(batch), "error", err)
		}
		return batch[:0]
	}

	builders := make([]*ent.AuditEntryCreate, len(batch))
	for i, entry := range batch {
		builders[i] = builder(l.client, entry)
	}
	if err := l.client.AuditEntry.CreateBulk(builders...).Exec(systemContext(ctx)); err != nil {
		slog.ErrorContext(ctx, "writing audit entries failed", "entries", len(batch), "error", err)
	}
	return batch[:0]
}

// Cleanup deletes entries older than the retention.
func (l *Log) Cleanup(ctx context.Context) {
	if l.config.Retention <= 0 {
		return
	}
	cutoff := time.Now().Add(-l.config.Retention)
	deleted, err := l.client.AuditEntry.Delete().Where(auditentry.CreatedAtLT(cutoff)).Exec(systemContext(ctx))
	if err != nil {
		slog.ErrorContext(ctx, "deleting expired audit entries failed", "error", err)
		return
	}
	if deleted > 0 {
		slog.InfoContext(ctx, "deleted expired audit entries", "deleted", deleted, "retention", l.config.Retention.String())
	}
}

func builder(client *ent.Client, entry Entry) *ent.AuditEntryCreate {
	at := entry.At
	if at.IsZero() {
		at = time.Now()
	}
	return client.AuditEntry.Create().
		SetNillableOrgID(optional(entry.OrgID)).
		SetRequestID(entry.RequestID).
		SetNillableKeyID(optional(entry.KeyID)).
		SetTestMode(entry.TestMode).
		SetMethod(entry.Method).
		SetPath(truncate(entry.Path, 2048)).
		SetNillableOperationName(optional(truncate(entry.OperationName, 255))).
		SetStatus(entry.Status).
		SetNillableErrorCode(optional(entry.ErrorCode)).
		SetDurationMs(int(entry.Duration.Milliseconds())).
		SetClientIP(entry.ClientIP).
		SetNillableUserAgent(optional(truncate(entry.UserAgent, 512))).
		SetNillableIdempotencyKey(optional(entry.IdempotencyKey)).
		SetReplayed(entry.Replayed).
		SetCreatedAt(at.UTC().Truncate(time.Millisecond))
}

func optional(value string) *string {
	if value == "" {
		return nil
	}
	return &value
}

// truncate cuts text to at most limit runes and drops NUL characters, so an
// oversized or hostile path or user agent never fails the insert.
func truncate(text string, limit int) string {
	runes := []rune(strings.ReplaceAll(text, "\x00", ""))
	if len(runes) <= limit {
		return text
	}
	return string(runes[:limit])
}
