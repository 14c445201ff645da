package demo

import (
	"math"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/ent/healthsignal"
)

var complianceStatuses = []complianceitem.Status{
	complianceitem.StatusCOMPLETE, complianceitem.StatusCOMPLETE, complianceitem.StatusIN_PROGRESS,
	complianceitem.StatusNOT_STARTED, complianceitem.StatusNOT_APPLICABLE,
}

// seedCompliance gives every client whose industry has frameworks the
// controls of those frameworks, in every status.
func (s *seeder) seedCompliance() error {
	assignees := append(append([]*ent.User{}, s.service...), s.techs...)
	var builders []*ent.ComplianceItemCreate
	n := 0
	for _, c := range s.accounts {
		if !c.customer() {
			continue
		}
		for _, framework := range frameworksByIndustry[c.industry] {
			for _, title := range complianceControls[framework] {
				status := complianceStatuses[n%len(complianceStatuses)]
				n++
				create := s.tx.ComplianceItem.Create().
					SetAccountID(c.account.ID).
					SetFramework(complianceitem.Framework(framework)).
					SetTitle(title).
					SetStatus(status).
					SetDueDate(s.date(s.between(-30, 180))).
					SetAssigneeID(pick(s.rng, assignees).ID)
				if status == complianceitem.StatusCOMPLETE {
					create.SetCompletedAt(s.daysAgo(s.between(1, 200)))
				}
				builders = append(builders, create)
			}
		}
	}
	// CUSTOM controls for two clients outside the regulated verticals.
	for _, c := range s.accounts {
		if c.customer() && len(frameworksByIndustry[c.industry]) == 0 && len(builders) > 0 {
			for _, title := range complianceControls["CUSTOM"] {
				builders = append(builders, s.tx.ComplianceItem.Create().
					SetAccountID(c.account.ID).
					SetFramework(complianceitem.FrameworkCUSTOM).
					SetTitle(title).
					SetStatus(complianceitem.StatusIN_PROGRESS).
					SetDueDate(s.date(s.between(10, 90))))
			}
			break
		}
	}
	return s.tx.ComplianceItem.CreateBulk(builders...).Exec(s.ctx)
}

// signalSources name the tool that pushed each signal.
var signalSources = map[healthsignal.Key]string{
	healthsignal.KeyOPEN_TICKETS:          "ConnectWise PSA",
	healthsignal.KeyCSAT_TREND:            "ConnectWise PSA",
	healthsignal.KeyUTILIZATION:           "HaloPSA",
	healthsignal.KeySTACK_STANDARDIZATION: "Breadbox assessment",
	healthsignal.KeyPAYMENT_HEALTH:        "QuickBooks Online",
	healthsignal.KeyEMPLOYEE_GROWTH:       "LinkedIn Sales Navigator",
}

// seedHealth pushes the PSA, accounting and assessment signals of every
// client, bad ones for at-risk clients, and a weekly churn-risk history
// over the past 90 days that ends at each account's current score.
func (s *seeder) seedHealth() error {
	var signals []*ent.HealthSignalCreate
	var snapshots []*ent.ChurnRiskSnapshotCreate
	for _, c := range s.accounts {
		if !c.customer() {
			continue
		}
		risky := c.lifecycle == account.LifecycleStatusAT_RISK
		observed := func() *ent.HealthSignalCreate {
			when := s.daysAgo(s.between(0, 20))
			return s.tx.HealthSignal.Create().SetAccountID(c.account.ID).SetObservedAt(when).SetExpiresAt(when.AddDate(0, 0, 30))
		}

		// Raw values are in the units of churn.RawRanges: CSAT_TREND is the
		// percentage of satisfied responses and PAYMENT_HEALTH the days the
		// oldest unpaid invoice is overdue. Healthy clients have 88–97 %
		// satisfied; at-risk ones 55–75 %.
		tickets, oldestTicketDays := s.between(0, 1), s.between(1, 6)
		csat := 88 + s.rng.Float64()*9
		utilization := s.between(85, 108)
		standard := s.between(70, 95)
		overdue := 0
		if s.chance(0.3) {
			overdue = s.between(1, 12)
		}
		growth := s.between(0, 12)
		if risky {
			tickets, oldestTicketDays = s.between(3, 6), s.between(9, 30)
			csat = 55 + s.rng.Float64()*20
			utilization = s.between(125, 160)
			standard = s.between(30, 55)
			overdue = s.between(45, 90)
			growth = -s.between(5, 20)
		}

		openTickets := observed().SetKey(healthsignal.KeyOPEN_TICKETS).SetRawValue(float64(tickets)).SetSource(signalSources[healthsignal.KeyOPEN_TICKETS])
		if tickets > 0 {
			openTickets.SetDetails(map[string]any{"oldestAgeDays": oldestTicketDays})
		}
		signals = append(signals,
			openTickets,
			observed().SetKey(healthsignal.KeyCSAT_TREND).SetRawValue(math.Round(csat*10)/10).SetSource(signalSources[healthsignal.KeyCSAT_TREND]),
			observed().SetKey(healthsignal.KeyUTILIZATION).SetRawValue(float64(utilization)).SetSource(signalSources[healthsignal.KeyUTILIZATION]),
			observed().SetKey(healthsignal.KeySTACK_STANDARDIZATION).SetSubScore(standard).SetSource(signalSources[healthsignal.KeySTACK_STANDARDIZATION]),
			observed().SetKey(healthsignal.KeyPAYMENT_HEALTH).SetRawValue(float64(overdue)).SetSource(signalSources[healthsignal.KeyPAYMENT_HEALTH]),
			observed().SetKey(healthsignal.KeyEMPLOYEE_GROWTH).SetRawValue(float64(growth)).SetSource(signalSources[healthsignal.KeyEMPLOYEE_GROWTH]).
				SetDetails(map[string]any{"unit": "percent over 12 months"}),
		)

		current := 50
		if c.account.ChurnRiskScore != nil {
			current = *c.account.ChurnRiskScore
		}
		for week := 12; week >= 0; week-- {
			// At-risk scores climbed over the quarter; others drift.
			score := current + s.between(-6, 6)
			if risky {
				score = current - week*3 + s.between(-3, 3)
			}
			score = min(max(score, 0), 100)
			if week == 0 {
				score = current
			}
			when := s.daysAgo(week * 7)
			snapshots = append(snapshots, s.tx.ChurnRiskSnapshot.Create().
				SetAccountID(c.account.ID).
				SetScore(score).
				SetLevel(churnrisksnapshot.Level(riskLevel(score))).
				SetCalculatedAt(when).
				SetDay(when.Format("2006-01-02")))
		}
	}
	if err := s.tx.HealthSignal.CreateBulk(signals...).Exec(s.ctx); err != nil {
		return err
	}
	return s.tx.ChurnRiskSnapshot.CreateBulk(snapshots...).Exec(s.ctx)
}
