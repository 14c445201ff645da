package demo

import (
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

		tickets, csat, utilization, standard, overdue, growth := float64(s.between(0, 1)), 4.2+s.rng.Float64()*0.7, float64(s.between(85, 108)), s.between(70, 95), float64(s.between(0, 10)), float64(s.between(0, 12))
		if risky {
			tickets, csat, utilization, standard, overdue, growth = float64(s.between(3, 6)), 2.6+s.rng.Float64(), float64(s.between(125, 160)), s.between(30, 55), float64(s.between(45, 90)), float64(-s.between(5, 20))
		}
		signals = append(signals,
			observed().SetKey(healthsignal.KeyOPEN_TICKETS).SetRawValue(tickets).SetSource(signalSources[healthsignal.KeyOPEN_TICKETS]).
				SetDetails(map[string]any{"olderThan7Days": risky}),
			observed().SetKey(healthsignal.KeyCSAT_TREND).SetRawValue(float64(int(csat*10))/10).SetSource(signalSources[healthsignal.KeyCSAT_TREND]),
			observed().SetKey(healthsignal.KeyUTILIZATION).SetRawValue(utilization).SetSource(signalSources[healthsignal.KeyUTILIZATION]),
			observed().SetKey(healthsignal.KeySTACK_STANDARDIZATION).SetSubScore(standard).SetSource(signalSources[healthsignal.KeySTACK_STANDARDIZATION]),
			observed().SetKey(healthsignal.KeyPAYMENT_HEALTH).SetRawValue(overdue).SetSource(signalSources[healthsignal.KeyPAYMENT_HEALTH]).
				SetDetails(map[string]any{"unit": "days outstanding"}),
			observed().SetKey(healthsignal.KeyEMPLOYEE_GROWTH).SetRawValue(growth).SetSource(signalSources[healthsignal.KeyEMPLOYEE_GROWTH]).
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
