package webhook

import (
	"math/rand/v2"
	"time"
)

// jitter is the largest share by which a retry wait varies either way.
const jitter = 0.2

// RetryWait returns the wait after failed attempt number attempt (1 for the
// first attempt): the schedule's entry for it, or its last entry when the
// schedule is shorter, varied at random by up to 20% either way.
func RetryWait(schedule []time.Duration, attempt int) time.Duration {
	if len(schedule) == 0 {
		schedule = DefaultSchedule
	}
	index := min(max(attempt-1, 0), len(schedule)-1)
	base := float64(schedule[index])
	return time.Duration(base * (1 - jitter + 2*jitter*rand.Float64()))
}
