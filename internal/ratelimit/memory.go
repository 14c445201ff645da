package ratelimit

import (
	"context"
	"sync"
	"time"
)

// MemoryStore keeps sliding-window logs in process memory, for a single node.
type MemoryStore struct {
	mu      sync.Mutex
	logs    map[string][]time.Time
	now     func() time.Time
	checked int
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{logs: make(map[string][]time.Time), now: time.Now}
}

// Allow implements Store.
func (s *MemoryStore) Allow(_ context.Context, buckets []Bucket) (Decision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now()
	decision := Decision{Allowed: true, Now: now}
	for _, bucket := range buckets {
		log := s.prune(bucket.ID, now)
		if len(log) >= bucket.Limit {
			decision.Allowed = false
		}
	}

	tripped := -1
	for i, bucket := range buckets {
		log := s.logs[bucket.ID]
		if decision.Allowed {
			log = append(log, now)
			s.logs[bucket.ID] = log
		} else if len(log) >= bucket.Limit && tripped < 0 {
			tripped = i
		}
		state := WindowState{Name: bucket.Name, Limit: bucket.Limit, Remaining: max(bucket.Limit-len(log), 0), ResetAt: now}
		if len(log) > 0 {
			state.ResetAt = log[0].Add(Window)
		}
		decision.Windows = append(decision.Windows, state)
	}
	if tripped >= 0 {
		decision.Tripped = &decision.Windows[tripped]
	}

	s.checked++
	if s.checked%10_000 == 0 {
		s.sweep(now)
	}
	return decision, nil
}

// prune drops the requests that left the window and returns the rest.
func (s *MemoryStore) prune(id string, now time.Time) []time.Time {
	log := s.logs[id]
	cutoff := now.Add(-Window)
	first := 0
	for first < len(log) && !log[first].After(cutoff) {
		first++
	}
	log = log[first:]
	if len(log) == 0 {
		delete(s.logs, id)
		return nil
	}
	s.logs[id] = log
	return log
}

// sweep forgets idle buckets so memory does not grow with every key ever seen.
func (s *MemoryStore) sweep(now time.Time) {
	for id := range s.logs {
		s.prune(id, now)
	}
}
