// Package trigger queues churn-risk recalculations: Enqueue adds a job to
// the durable queue that churn.Queue works, and Hook calls it after the
// writes that change an account's signals. It stays apart from package
// churn so the ent schema can register the hook without an import cycle.
package trigger

import (
	"context"
	"fmt"
	"sync"
	"time"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/churnrecalculation"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/auth"
)

const (
	// Debounce is how long a recalculation waits after the last trigger,
	// so the pushes of one sync run are calculated once.
	Debounce = 2 * time.Second
	// MaxWait bounds how long triggers that keep arriving can postpone a
	// recalculation: a sync that pushes for minutes still gets its account
	// recalculated every MaxWait.
	MaxWait = 30 * time.Second
	// enqueueBatch bounds the rows of one INSERT when a whole org is queued.
	enqueueBatch = 500
)

// Enqueue schedules a recalculation of each account at dueAt, through the
// client, so in the write's transaction the job exists exactly when the
// write that caused it committed. An account has at most one job: a pending
// one runs at the earlier of its due time and dueAt (see joinPending). The
// accounts must belong to orgID; the caller checked that when it wrote the
// data. Inside a transaction, client must be the transaction's client.
func Enqueue(ctx context.Context, client *ent.Client, orgID string, dueAt time.Time, accountIDs ...string) error {
	return enqueue(ctx, client, orgID, dueAt, dueAt.Add(MaxWait), false, accountIDs...)
}

// EnqueueDebounced queues a recalculation of each account Debounce from
// now, as Enqueue does, except that it postpones a pending job that is due
// sooner, up to the job's deadline. Writes use it, so the writes of one
// sync are calculated once after the last of them.
func EnqueueDebounced(ctx context.Context, client *ent.Client, orgID string, accountIDs ...string) error {
	now := time.Now()
	return enqueue(ctx, client, orgID, now.Add(Debounce), now.Add(MaxWait), true, accountIDs...)
}

func enqueue(ctx context.Context, client *ent.Client, orgID string, dueAt, deadline time.Time, debounced bool, accountIDs ...string) error {
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
				SetDueAt(dueAt).
				SetDeadline(deadline.UTC().Truncate(time.Millisecond))
		}
		err := client.ChurnRecalculation.CreateBulk(creates...).
			OnConflict(sql.ConflictColumns(churnrecalculation.FieldID), sql.ResolveWith(joinPending(debounced))).
			Exec(system)
		if err != nil {
			return fmt.Errorf("queueing the churn-risk recalculation of %d accounts of org %s: %w", len(batch), orgID, err)
		}
	}
	return nil
}

// joinPending returns the conflict clause of an enqueue: the new trigger
// joins the pending job and counts in its generation. A trigger due sooner
// moves the job earlier, with the trigger's deadline. A debounced trigger
// due later moves it later, up to the job's deadline, so a burst of writes
// is calculated once after its last write. A scheduled trigger (an expiry,
// the nightly pass) never postpones a job.
func joinPending(debounced bool) func(*sql.UpdateSet) {
	return func(set *sql.UpdateSet) {
		set.Add(churnrecalculation.FieldGeneration, 1)
		pendingDue := set.Table().C(churnrecalculation.FieldDueAt)
		pendingDeadline := set.Table().C(churnrecalculation.FieldDeadline)
		excluded := sql.Dialect(set.Dialect()).Table("excluded")
		incomingDue := excluded.C(churnrecalculation.FieldDueAt)
		sooner := incomingDue + " < " + pendingDue

		later := pendingDue
		if debounced {
			later = "CASE WHEN " + incomingDue + " < " + pendingDeadline + " THEN " + incomingDue + " ELSE " + pendingDeadline + " END"
		}
		set.Set(churnrecalculation.FieldDueAt, sql.Expr("CASE WHEN "+sooner+" THEN "+incomingDue+" ELSE "+later+" END"))
		set.Set(churnrecalculation.FieldDeadline, sql.Expr(
			"CASE WHEN "+sooner+" THEN "+excluded.C(churnrecalculation.FieldDeadline)+" ELSE "+pendingDeadline+" END"))
	}
}

// Hook returns the ent hook that queues a recalculation, due Debounce
// later, of every account whose churn-risk inputs a write changed. Those
// writes are a created touchpoint or health signal, and a created, updated
// or deleted contact relationship (its influence drives
// DECISION_MAKER_RECENCY) or contract (RENEWAL_PROXIMITY). A record moved to
// another account queues both accounts, and a burst of writes to one
// account is calculated once. The job joins the write's transaction, so it
// exists exactly when the write committed. On any other entity type the
// hook does nothing.
func Hook() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			tracked, ok := trackedOf(m)
			if !ok || (m.Op().Is(entgo.OpUpdate|entgo.OpUpdateOne) && !tracked.changesRisk(m)) {
				return next.Mutate(ctx, m)
			}
			scope := callerScope(ctx)

			// Updates and deletes name their records by predicate, so their
			// accounts are read before the write changes or removes them.
			var ids []string
			var before []owner
			if !m.Op().Is(entgo.OpCreate) {
				var err error
				if ids, err = tracked.ids(scope); err != nil {
					return nil, fmt.Errorf("listing the %s records being written: %w", m.Type(), err)
				}
				if before, err = tracked.owners(scope, ids); err != nil {
					return nil, err
				}
			}

			value, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}

			// A created record names its account itself; other writes read
			// the accounts they left the records in.
			after, created := createdOwner(value)
			if !created {
				if after, err = tracked.owners(scope, ids); err != nil {
					return nil, err
				}
			}
			owners := append(before, after...)
			if batch, batched := ctx.Value(batchKey{}).(*Batch); batched {
				batch.add(owners)
				return value, nil
			}
			if err := enqueueOwners(ctx, tracked.client, owners); err != nil {
				return nil, fmt.Errorf("after writing a %s: %w", m.Type(), err)
			}
			return value, nil
		})
	}
}

// owner is the org and account a tracked record belongs to.
type owner struct {
	OrgID     string `json:"org_id"`
	AccountID string `json:"account_id"`
}

// tracked is the part of a mutation of a tracked entity type that the hook
// uses.
type tracked struct {
	client *ent.Client
	ids    func(ctx context.Context) ([]string, error)
	owners func(ctx context.Context, ids []string) ([]owner, error)
	// changesRisk reports whether an update touches a field that the
	// churn risk reads; other updates queue nothing.
	changesRisk func(m entgo.Mutation) bool
}

// trackedOf returns the tracked view of a mutation of a touchpoint, health
// signal, contact relationship or contract.
func trackedOf(m entgo.Mutation) (tracked, bool) {
	anyChange := func(entgo.Mutation) bool { return true }
	switch mutation := m.(type) {
	case *ent.TouchpointMutation:
		return tracked{mutation.Client(), mutation.IDs, ownersOf(mutation.Client().Touchpoint.Query, touchpoint.IDIn), anyChange}, true
	case *ent.HealthSignalMutation:
		return tracked{mutation.Client(), mutation.IDs, ownersOf(mutation.Client().HealthSignal.Query, healthsignal.IDIn), anyChange}, true
	case *ent.AccountContactMutation:
		return tracked{mutation.Client(), mutation.IDs, ownersOf(mutation.Client().AccountContact.Query, accountcontact.IDIn),
			changedAny(accountcontact.FieldAccountID, accountcontact.FieldInfluence)}, true
	case *ent.ContractMutation:
		return tracked{mutation.Client(), mutation.IDs, ownersOf(mutation.Client().Contract.Query, contract.IDIn),
			changedAny(contract.FieldAccountID, contract.FieldStatus, contract.FieldRenewalDate, contract.FieldEndDate, contract.FieldAutoRenew)}, true
	}
	return tracked{}, false
}

// createdOwner returns the org and account of a record a create returned.
func createdOwner(value entgo.Value) ([]owner, bool) {
	switch created := value.(type) {
	case *ent.Touchpoint:
		return []owner{{created.OrgID, created.AccountID}}, true
	case *ent.HealthSignal:
		return []owner{{created.OrgID, created.AccountID}}, true
	case *ent.AccountContact:
		return []owner{{created.OrgID, created.AccountID}}, true
	case *ent.Contract:
		return []owner{{created.OrgID, created.AccountID}}, true
	}
	return nil, false
}

// Batch collects the accounts that the writes in its context would queue,
// so a caller that writes many records, such as a bulk upsert, queues them
// with one statement per org instead of one per record.
type Batch struct {
	mu     sync.Mutex
	owners []owner
}

type batchKey struct{}

// WithBatch returns a context whose writes add their accounts to the
// returned Batch instead of queueing them. The caller must call Flush in the
// same transaction.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	batch := &Batch{}
	return context.WithValue(ctx, batchKey{}, batch), batch
}

func (b *Batch) add(owners []owner) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.owners = append(b.owners, owners...)
}

// Flush queues a debounced recalculation of every account collected so far,
// through the client (the transaction's inside one).
func (b *Batch) Flush(ctx context.Context, client *ent.Client) error {
	b.mu.Lock()
	owners := b.owners
	b.owners = nil
	b.mu.Unlock()
	return enqueueOwners(ctx, client, owners)
}

// changedAny reports whether the mutation sets or clears one of the fields.
func changedAny(fields ...string) func(entgo.Mutation) bool {
	return func(m entgo.Mutation) bool {
		for _, field := range fields {
			if _, set := m.Field(field); set || m.FieldCleared(field) {
				return true
			}
		}
		return false
	}
}

// ownersOf returns a function that reads the org and account of the records
// with the IDs from a table with org_id and account_id columns.
func ownersOf[Q interface {
	Where(...P) Q
	Select(...string) S
}, P any, S interface {
	Scan(context.Context, any) error
}](query func() Q, idIn func(...string) P) func(ctx context.Context, ids []string) ([]owner, error) {
	return func(ctx context.Context, ids []string) ([]owner, error) {
		if len(ids) == 0 {
			return nil, nil
		}
		var owners []owner
		if err := query().Where(idIn(ids...)).Select("org_id", "account_id").Scan(ctx, &owners); err != nil {
			return nil, fmt.Errorf("reading the accounts of %d records: %w", len(ids), err)
		}
		return owners, nil
	}
}

// enqueueOwners queues each distinct account once.
func enqueueOwners(ctx context.Context, client *ent.Client, owners []owner) error {
	byOrg := make(map[string][]string)
	seen := make(map[owner]bool)
	for _, o := range owners {
		if seen[o] {
			continue
		}
		seen[o] = true
		byOrg[o.OrgID] = append(byOrg[o.OrgID], o.AccountID)
	}
	for orgID, accountIDs := range byOrg {
		if err := EnqueueDebounced(ctx, client, orgID, accountIDs...); err != nil {
			return err
		}
	}
	return nil
}

// callerScope reads as the system inside the caller's org, because a key
// that may write a record need not be allowed to read it back. Without a
// principal or an org (maintenance jobs) it reads every org.
func callerScope(ctx context.Context) context.Context {
	principal := auth.FromContext(ctx)
	if principal == nil || principal.OrgID == "" {
		return auth.WithPrincipal(ctx, &auth.Principal{System: true})
	}
	return auth.SystemContext(ctx, principal.OrgID)
}
