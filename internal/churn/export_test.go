package churn

import (
	"context"

	"github.com/breadbox/breadbox/ent"
)

// Claim and RunJob expose the two halves of RunOnce, so a test can write
// between a job's claim and its run.
func (q *Queue) Claim(ctx context.Context, limit int) ([]*ent.ChurnRecalculation, error) {
	return q.claim(ctx, limit)
}

func (q *Queue) RunJob(ctx context.Context, job *ent.ChurnRecalculation) { q.run(ctx, job) }
