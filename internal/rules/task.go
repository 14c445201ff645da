package rules

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/ent/task"
)

// TaskCompletion stamps completedAt when a task's status becomes DONE and
// clears it when the status leaves DONE. A task that stays DONE keeps its
// original completion time.
func TaskCompletion() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.TaskFunc(func(ctx context.Context, m *ent.TaskMutation) (entgo.Value, error) {
			status, changed := m.Status()
			if !changed {
				return next.Mutate(ctx, m)
			}

			wasDone := false
			if m.Op().Is(entgo.OpUpdateOne) {
				old, err := m.OldStatus(ctx)
				if err != nil {
					return nil, fmt.Errorf("reading the task's status: %w", err)
				}
				wasDone = old == task.StatusDONE
			}

			switch {
			case status == task.StatusDONE && !wasDone:
				m.SetCompletedAt(now())
			case status != task.StatusDONE:
				m.ClearCompletedAt()
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne|entgo.OpUpdate)
}
