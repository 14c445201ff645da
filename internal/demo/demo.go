// Package demo fills an org with a realistic book of business of a managed
// IT service provider. It creates users and 40 accounts across every
// lifecycle stage and the MSP verticals, with their sites, contacts, devices,
// deals, contracts and service lines, tasks, notes, touchpoints, leads,
// compliance items, health signals and churn-risk history. It backs
// `breadbox demo` and any test that needs a full org.
//
// The data is deterministic for a given seed (math/rand/v2 with a PCG
// source); only IDs and timestamps relative to the current time differ
// between runs.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
)

// DefaultSeed is the seed Seed uses.
const DefaultSeed uint64 = 20260506

// Seed fills the org with the demo book of business generated from
// DefaultSeed, in one transaction. The org must exist and have its default
// pipeline stages. It should hold no accounts yet, because the account
// external IDs and device RMM agent IDs are fixed and unique per org.
func Seed(ctx context.Context, client *ent.Client, orgID string) error {
	return SeedFrom(ctx, client, orgID, DefaultSeed)
}

// SeedFrom is Seed with another seed, for varied data in tests.
func SeedFrom(ctx context.Context, client *ent.Client, orgID string, seed uint64) error {
	ctx = auth.SystemContext(ctx, orgID)
	return database.WithTx(ctx, client, func(ctx context.Context) error {
		s := &seeder{
			ctx: ctx,
			tx:  database.Client(ctx, client),
			rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
			now: time.Now().UTC().Truncate(time.Millisecond),
		}
		steps := []struct {
			name string
			run  func() error
		}{
			{"users", s.seedUsers},
			{"accounts", s.seedAccounts},
			{"sites", s.seedSites},
			{"contacts", s.seedContacts},
			{"devices", s.seedDevices},
			{"contracts", s.seedContracts},
			{"deals", s.seedDeals},
			{"tasks", s.seedTasks},
			{"notes", s.seedNotes},
			{"touchpoints", s.seedTouchpoints},
			{"leads", s.seedLeads},
			{"compliance items", s.seedCompliance},
			{"health signals", s.seedHealth},
		}
		for _, step := range steps {
			if err := step.run(); err != nil {
				return fmt.Errorf("seeding the demo %s of org %s: %w", step.name, orgID, err)
			}
		}
		return nil
	})
}

// seeder carries the state of one seeding run.
type seeder struct {
	ctx context.Context
	tx  *ent.Client
	rng *rand.Rand
	now time.Time

	admin    *ent.User
	managers []*ent.User
	reps     []*ent.User
	service  []*ent.User
	techs    []*ent.User

	accounts []*client
	// nextAgent is the number of the next RMM agent ID.
	nextAgent int
}

// client is one demo account with what the later steps need to know of it.
type client struct {
	company
	account   *ent.Account
	lifecycle account.LifecycleStatus
	sites     []*ent.Site
	contacts  []*ent.Contact
	contracts []*ent.Contract
	deals     []*ent.Deal
	// plans are the account's contracts with their service lines, planned
	// before the account is created so its currentMrr can be set.
	plans []contractPlan
}

// customer reports whether the MSP serves the account today or did before.
func (c *client) customer() bool {
	switch c.lifecycle {
	case account.LifecycleStatusONBOARDING, account.LifecycleStatusACTIVE, account.LifecycleStatusAT_RISK:
		return true
	}
	return false
}

// pick returns a random element of values.
func pick[T any](rng *rand.Rand, values []T) T {
	return values[rng.IntN(len(values))]
}

// between returns a random integer in [low, high].
func (s *seeder) between(low, high int) int {
	return low + s.rng.IntN(high-low+1)
}

// chance returns true with probability p.
func (s *seeder) chance(p float64) bool {
	return s.rng.Float64() < p
}

// daysAgo returns the time days before now, at a random time of that day's
// working hours.
func (s *seeder) daysAgo(days int) time.Time {
	day := s.now.AddDate(0, 0, -days).Truncate(24 * time.Hour)
	at := day.Add(time.Duration(8*60+s.rng.IntN(9*60)) * time.Minute)
	// Today's working hours may not have come yet; nothing is seeded in
	// the future, where a recalculation would leave it out.
	if at.After(s.now) {
		return s.now
	}
	return at
}

// date renders the calendar day days after now (negative for the past).
func (s *seeder) date(days int) string {
	return s.now.AddDate(0, 0, days).Format(time.DateOnly)
}

// minutes returns a random duration of low to high minutes.
func (s *seeder) minutes(low, high int) time.Duration {
	return time.Duration(s.between(low, high)) * time.Minute
}
