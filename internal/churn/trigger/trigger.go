// Package trigger queues churn-risk recalculations: Enqueue adds a job to
// the durable queue that churn.Queue works, and Hook calls it after the
// writes that change an account's signals. It stays apart from package
// churn so the ent schema can register the hook without an import cycle.
package trigger

import (
	"context"
	"fmt"
	"time"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/churnrecalculation"
	"github.com/breadbox/breadbox/internal/auth"
)

const (
	// Debounce is how long a recalculation waits after its first trigger,
	// so the pushes of one sync run are calculated once.
	Debounce = 2 * time.Second
	// enqueueBatch bounds the rows of one INSERT when a whole org is queued.
	enqueueBatch = 500
)

// Enqueue queues a recalculation of each account, due at dueAt, through
// the client, so in the write's transaction the job exists exactly when the
// write that caused it committed. An account that already has a
// pending recalculation keeps its due time: the new trigger joins it, and
// the worker that runs it sees the data of both. The accounts must belong to
// orgID; the caller checked that when it wrote the data. Inside a
// transaction, client must be the transaction's client.
func Enqueue(ctx context.Context, client *ent.Client, orgID string, dueAt time.Time, accountIDs ...string) error {
	if len(accountIDs) == 0 {
		return nil
	}
	system := auth.SystemContext(ctx, orgID)
	dueAt = dueAt.UTC().Truncate(time.Millisecond)

	for start := 0; start < len(accountIDs); start += enqueueBatch {
		batch := accountIDs[start:min(start+enqueueBatch, len(accountIDs))]
		creates := make([]*ent.ChurnRecalculationCreate, len(batch))
		for i, accountID := range batch {
			creates[i] = client.ChurnRecalculation.Create().
				SetID(accountID).
				SetOrgID(orgID).
				SetDueAt(dueAt)
		}
		err := client.ChurnRecalculation.CreateBulk(creates...).
			OnConflictColumns(churnrecalculation.FieldID).
			Update(func(upsert *ent.ChurnRecalculationUpsert) { upsert.AddGeneration(1) }).
			Exec(system)
		if err != nil {
			return fmt.Errorf("queueing the churn-risk recalculation of %d accounts of org %s: %w", len(batch), orgID, err)
		}
	}
	return nil
}

// Hook returns the ent hook that queues a recalculation of the
// account after every touchpoint or health signal is created, due
// Debounce later, so a burst of writes to one account is calculated
// once. The job joins the write's transaction, so it exists exactly when the
// write committed. On any other operation or entity type the hook does
// nothing.
func Hook() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			value, err := next.Mutate(ctx, m)
			if err != nil || !m.Op().Is(entgo.OpCreate) {
				return value, err
			}

			var client *ent.Client
			var orgID, accountID string
			switch created := value.(type) {
			case *ent.Touchpoint:
				client, orgID, accountID = m.(*ent.TouchpointMutation).Client(), created.OrgID, created.AccountID
			case *ent.HealthSignal:
				client, orgID, accountID = m.(*ent.HealthSignalMutation).Client(), created.OrgID, created.AccountID
			default:
				return value, nil
			}
			if err := Enqueue(ctx, client, orgID, time.Now().Add(Debounce), accountID); err != nil {
				return nil, fmt.Errorf("after creating a %s: %w", m.Type(), err)
			}
			return value, nil
		})
	}
}
