package webhook

import (
	"context"
	"fmt"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/deliveryattempt"
	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/internal/auth"
)

// EventRetention is how long events, their deliveries and attempts are
// kept. The events feed reads back this far.
const EventRetention = 30 * 24 * time.Hour

// pruneBatch bounds the events that one transaction of Prune deletes.
const pruneBatch = 500

// Prune deletes the events of every org created before cutoff, with their
// deliveries and the attempts of those, and returns how many events it
// deleted. An event that still has a PENDING delivery is kept until the
// delivery ends. Each batch of pruneBatch events is deleted in its own
// transaction, so a large backlog never holds one long lock.
func Prune(ctx context.Context, client *ent.Client, cutoff time.Time) (int, error) {
	system := auth.WithPrincipal(ctx, &auth.Principal{System: true})
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		ids, err := client.Event.Query().
			Where(
				event.CreatedAtLT(cutoff),
				event.Not(event.HasDeliveriesWith(delivery.StateEQ(delivery.StatePENDING))),
			).
			Limit(pruneBatch).
			IDs(system)
		if err != nil {
			return total, fmt.Errorf("listing events created before %s: %w", cutoff.Format(time.RFC3339), err)
		}
		if len(ids) == 0 {
			return total, nil
		}

		if err := deleteEvents(system, client, ids); err != nil {
			return total, err
		}
		total += len(ids)
	}
}

// deleteEvents deletes the events with their deliveries and attempts in one
// transaction.
func deleteEvents(ctx context.Context, client *ent.Client, ids []string) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}
	err = func() error {
		if _, err := tx.DeliveryAttempt.Delete().
			Where(deliveryattempt.HasDeliveryWith(delivery.EventIDIn(ids...))).
			Exec(ctx); err != nil {
			return fmt.Errorf("deleting the delivery attempts of %d old events: %w", len(ids), err)
		}
		if _, err := tx.Delivery.Delete().Where(delivery.EventIDIn(ids...)).Exec(ctx); err != nil {
			return fmt.Errorf("deleting the deliveries of %d old events: %w", len(ids), err)
		}
		if _, err := tx.Event.Delete().Where(event.IDIn(ids...)).Exec(ctx); err != nil {
			return fmt.Errorf("deleting %d old events: %w", len(ids), err)
		}
		return nil
	}()
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the deletion of %d old events: %w", len(ids), err)
	}
	return nil
}
