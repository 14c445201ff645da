package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/auth"
)

// pendingEvent is an event the hook saw during a transaction, written when
// the transaction commits.
type pendingEvent struct {
	orgID      string
	name       string
	kind       resourceKind
	resourceID string
	// hardDeleted events carry {"id", "hardDeleted": true} instead of the
	// rendered record.
	hardDeleted bool
	// test marks events caused by a msp_test_ key: recorded, never delivered.
	test  bool
	keyID string
}

// outbox collects the events of one transaction until it commits.
type outbox struct {
	mu     sync.Mutex
	events []pendingEvent
}

func (box *outbox) add(events ...pendingEvent) {
	box.mu.Lock()
	box.events = append(box.events, events...)
	box.mu.Unlock()
}

func (box *outbox) take() []pendingEvent {
	box.mu.Lock()
	defer box.mu.Unlock()
	events := box.events
	box.events = nil
	return events
}

// outboxes maps each open transaction that has events to its outbox. An entry
// leaves the map when its transaction commits or rolls back.
var outboxes = struct {
	sync.Mutex
	byTx map[*ent.Tx]*outbox
}{byTx: make(map[*ent.Tx]*outbox)}

// outboxOf returns the outbox of tx, creating it and registering its commit
// and rollback hooks on first use.
func outboxOf(tx *ent.Tx) *outbox {
	outboxes.Lock()
	defer outboxes.Unlock()
	if box, ok := outboxes.byTx[tx]; ok {
		return box
	}

	box := &outbox{}
	outboxes.byTx[tx] = box
	forget := func() {
		outboxes.Lock()
		delete(outboxes.byTx, tx)
		outboxes.Unlock()
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, committing *ent.Tx) error {
			forget()
			events := box.take()
			// The events are written by the transaction itself, right before
			// it commits, so they commit or roll back with the write.
			if err := writeEvents(ctx, committing.Client(), events, auth.FromContext(ctx)); err != nil {
				if rollbackErr := committing.Rollback(); rollbackErr != nil {
					err = errors.Join(err, fmt.Errorf("rolling back: %w", rollbackErr))
				}
				return err
			}
			if err := next.Commit(ctx, committing); err != nil {
				return err
			}
			if len(events) > 0 {
				wakeWorkers()
			}
			return nil
		})
	})
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, rollingBack *ent.Tx) error {
			forget()
			return next.Rollback(ctx, rollingBack)
		})
	})
	return box
}

// transactional is the part of a generated ent mutation that reports whether
// it runs in a transaction.
type transactional interface {
	Tx() (*ent.Tx, error)
	Client() *ent.Client
}

// enqueue records events of mutation m. Inside a transaction they wait in the
// transaction's outbox and are written when it commits. Outside one they are
// written at once.
func enqueue(ctx context.Context, m transactional, events ...pendingEvent) error {
	if len(events) == 0 {
		return nil
	}
	principal := auth.FromContext(ctx)
	for i := range events {
		if principal != nil {
			events[i].test = events[i].test || principal.Test
			events[i].keyID = principal.KeyID
		}
	}

	tx, err := m.Tx()
	if err != nil {
		// NOTE: a write outside a transaction and its events are two
		// statements, so a crash between them loses the events. Every API
		// write runs in a transaction (database.WithTx).
		if err := writeEvents(ctx, m.Client(), events, nil); err != nil {
			return err
		}
		wakeWorkers()
		return nil
	}
	// database.WithTx puts its transaction in the context. Sharing one
	// outbox per transaction lets a batch write its events with a bounded
	// number of statements.
	if shared := ent.TxFromContext(ctx); shared != nil {
		tx = shared
	}
	outboxOf(tx).add(events...)
	return nil
}

// workerWakeups holds a channel per running worker, signalled when new
// deliveries were committed in this process so they go out without waiting
// for the next poll.
var workerWakeups = struct {
	sync.Mutex
	channels map[chan struct{}]struct{}
}{channels: make(map[chan struct{}]struct{})}

func wakeWorkers() {
	workerWakeups.Lock()
	defer workerWakeups.Unlock()
	for wake := range workerWakeups.channels {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
}

func subscribeWakeups() (chan struct{}, func()) {
	wake := make(chan struct{}, 1)
	workerWakeups.Lock()
	workerWakeups.channels[wake] = struct{}{}
	workerWakeups.Unlock()
	return wake, func() {
		workerWakeups.Lock()
		delete(workerWakeups.channels, wake)
		workerWakeups.Unlock()
	}
}

// logDropped logs an event whose record vanished before its transaction
// committed, such as a device created and deleted in one request.
func logDropped(ctx context.Context, event pendingEvent) {
	slog.DebugContext(ctx, "webhook event dropped: its record no longer exists",
		"event", event.name, "resource_id", event.resourceID, "org_id", event.orgID)
}
