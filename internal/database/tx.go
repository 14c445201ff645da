package database

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/breadbox/breadbox/ent"
)

// Client returns the ent client a request must use: the client of its open
// transaction when there is one, otherwise fallback.
func Client(ctx context.Context, fallback *ent.Client) *ent.Client {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	if client := ent.FromContext(ctx); client != nil {
		return client
	}
	return fallback
}

// InTx reports whether the context carries an open transaction.
func InTx(ctx context.Context) bool { return ent.TxFromContext(ctx) != nil }

// WithTx runs fn inside a transaction whose client is in fn's context, and
// commits when fn returns nil or rolls back otherwise. Nested calls join the
// outer transaction, so a mutation, its webhook events, its idempotency record
// and its audit row commit or roll back together. A panic rolls back and is
// re-raised.
func WithTx(ctx context.Context, client *ent.Client, fn func(ctx context.Context) error) (err error) {
	if InTx(ctx) {
		return fn(ctx)
	}

	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}
	txCtx := ent.NewTxContext(ctx, tx)
	txCtx = ent.NewContext(txCtx, tx.Client())

	defer func() {
		if recovered := recover(); recovered != nil {
			_ = tx.Rollback()
			panic(recovered)
		}
	}()

	if err := fn(txCtx); err != nil {
		if rollbackErr := tx.Rollback(); rollbackErr != nil {
			slog.ErrorContext(ctx, "rolling back a transaction failed", "error", rollbackErr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the transaction: %w", err)
	}
	return nil
}
