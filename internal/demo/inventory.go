package demo

import (
	"fmt"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/money"
)

func (s *seeder) seedDevices() error {
	s.nextAgent = 12345
	var builders []*ent.DeviceCreate
	for _, c := range s.accounts {
		if !c.customer() {
			continue
		}
		builders = append(builders, s.accountDevices(c)...)
	}
	return s.tx.Device.CreateBulk(builders...).Exec(s.ctx)
}

// accountDevices plans the workstations, servers and network gear of one
// account. At-risk accounts run more offline and unpatched machines.
func (s *seeder) accountDevices(c *client) []*ent.DeviceCreate {
	offline, unpatched := 0.05, 0.1
	if c.lifecycle == account.LifecycleStatusAT_RISK {
		offline, unpatched = 0.15, 0.35
	}

	var builders []*ent.DeviceCreate
	add := func(hostname, kind, os string, eol bool) {
		online := !s.chance(offline)
		seen := s.now.Add(-s.minutes(1, 50))
		if !online {
			seen = s.daysAgo(s.between(2, 40))
		}
		purchased := s.daysAgo(s.between(60, 6*365))
		serial := fmt.Sprintf("5CG%07d", s.rng.IntN(10_000_000))
		builders = append(builders, s.tx.Device.Create().
			SetAccountID(c.account.ID).
			SetSiteID(pick(s.rng, c.sites).ID).
			SetRmmAgentID(s.agentID()).
			SetHostname(hostname).
			SetOs(os).
			SetDeviceType(kind).
			SetSerialNumber(serial).
			SetIsOnline(online).
			SetLastSeenAt(seen).
			SetPatchCompliant(!eol && !s.chance(unpatched)).
			SetIsEndOfLife(eol).
			SetWarrantyExpiresAt(purchased.AddDate(3, 0, 0)))
	}

	workstations := min(max(c.employees*3/4, 5), 30)
	for n := 1; n <= workstations; n++ {
		system := pick(s.rng, workstationSystems)
		kind := "Workstation"
		if s.chance(0.3) {
			kind = "Laptop"
		}
		add(fmt.Sprintf("%s-WS-%03d", c.code, n), kind, system.os, system.eol)
	}
	servers := 1 + c.employees/80
	for n := 1; n <= servers; n++ {
		system := pick(s.rng, serverSystems)
		add(fmt.Sprintf("%s-SRV-%02d", c.code, n), "Server", system.os, system.eol)
	}
	firewall := pick(s.rng, networkDevices[:3])
	add(fmt.Sprintf("%s-%s-01", c.code, firewall.code), firewall.kind, firewall.os, false)
	for _, gear := range networkDevices[3:] {
		if s.chance(0.5) {
			add(fmt.Sprintf("%s-%s-01", c.code, gear.code), gear.kind, gear.os, false)
		}
	}
	return builders
}

// agentID returns the next NinjaOne-style RMM agent ID, such as ninja-12345.
func (s *seeder) agentID() string {
	s.nextAgent += 1 + s.rng.IntN(7)
	return fmt.Sprintf("ninja-%d", s.nextAgent)
}

// contractPlan is a contract to create and its service lines.
type contractPlan struct {
	name   string
	status contract.Status
	start  int
	months int
	renew  bool
	lines  []linePlan
}

// linePlan is one service line of a planned contract.
type linePlan struct {
	service   string
	category  serviceline.Category
	quantity  int
	unitPrice money.Cents
	frequency serviceline.BillingFrequency
}

// periodMonths is the number of months one billing period covers; one-time
// charges have none.
var periodMonths = map[serviceline.BillingFrequency]int64{
	serviceline.BillingFrequencyMONTHLY:     1,
	serviceline.BillingFrequencyQUARTERLY:   3,
	serviceline.BillingFrequencySEMI_ANNUAL: 6,
	serviceline.BillingFrequencyANNUAL:      12,
}

// planContracts plans an account's contracts: a current agreement (DRAFT
// while onboarding, ACTIVE for clients, EXPIRED or CANCELLED for churned
// ones) and, for some long-standing clients, the expired agreement it
// replaced. Dates are days from the time of seeding, so an ACTIVE agreement
// ends in the future and an EXPIRED one in the past on any day.
func (s *seeder) planContracts(c *client) []contractPlan {
	current := contractPlan{
		name:   fmt.Sprintf("%s — Managed services agreement", c.name),
		status: contract.StatusACTIVE,
		start:  -s.between(30, 700),
		months: pick(s.rng, []int{12, 24, 36}),
		renew:  s.chance(0.6),
		lines:  s.planLines(c),
	}
	switch c.lifecycle {
	case account.LifecycleStatusONBOARDING:
		current.status, current.start = contract.StatusDRAFT, s.between(5, 30)
	case account.LifecycleStatusCHURNED:
		current.status = pick(s.rng, []contract.Status{contract.StatusEXPIRED, contract.StatusCANCELLED})
		current.start = -s.between(800, 1200)
		// 24 months are at most 731 days, so an EXPIRED term that started
		// 800 or more days ago has ended. A CANCELLED one may end later.
		if current.status == contract.StatusEXPIRED {
			current.months = min(current.months, 24)
		}
	default:
		current.start = currentTermStart(-current.start, current.months)
	}
	plans := []contractPlan{current}

	if c.lifecycle == account.LifecycleStatusACTIVE && s.chance(0.4) {
		plans = append(plans, contractPlan{
			name:   fmt.Sprintf("%s — Managed services agreement (previous term)", c.name),
			status: contract.StatusEXPIRED,
			start:  current.start - 365*3,
			months: 36,
			lines:  s.planLines(c),
		})
	}
	return plans
}

// currentTermStart returns the start of the current term of an ACTIVE
// agreement first signed age days ago (age 30 or more), in days from now. An
// agreement older than its term has renewed, so age wraps around the term.
// The term started 30 to termDays − 31 days ago, termDays being the shortest
// calendar length of the term, so it ends at least 31 days from now.
func currentTermStart(age, months int) int {
	termDays := months * 365 / 12
	return -(30 + (age-30)%(termDays-60))
}

// planLines picks three to six services for an account. Prices are stated
// per billing period, so a quarterly line's unit price is three months'
// worth and the MRR of every line is a whole number of cents.
func (s *seeder) planLines(c *client) []linePlan {
	count := s.between(3, 6)
	order := s.rng.Perm(len(serviceCatalog))[:count]
	lines := make([]linePlan, 0, count+1)
	for _, index := range order {
		service := serviceCatalog[index]
		quantity := 1
		if service.perSeat {
			quantity = max(c.employees-s.rng.IntN(c.employees/4+1), 1)
		}
		frequency := serviceline.BillingFrequencyMONTHLY
		switch roll := s.rng.IntN(10); {
		case roll == 0:
			frequency = serviceline.BillingFrequencyQUARTERLY
		case roll == 1:
			frequency = serviceline.BillingFrequencySEMI_ANNUAL
		case roll <= 3:
			frequency = serviceline.BillingFrequencyANNUAL
		}
		lines = append(lines, linePlan{
			service:   service.name,
			category:  serviceline.Category(service.category),
			quantity:  quantity,
			unitPrice: money.Cents(service.price * periodMonths[frequency]),
			frequency: frequency,
		})
	}
	if s.chance(0.5) {
		lines = append(lines, linePlan{
			service:   "Onboarding and documentation project",
			category:  serviceline.CategoryPROFESSIONAL_SERVICES,
			quantity:  1,
			unitPrice: money.Cents(int64(s.between(15, 60)) * 10000),
			frequency: serviceline.BillingFrequencyONE_TIME,
		})
	}
	return lines
}

// monthlyRecurring returns the MRR of the ACTIVE contracts among plans. Each
// line adds its quantity × unit price spread over the months of its billing
// period, and one-time lines add nothing.
func monthlyRecurring(plans []contractPlan) money.Cents {
	var total money.Cents
	for _, plan := range plans {
		if plan.status != contract.StatusACTIVE {
			continue
		}
		for _, line := range plan.lines {
			months, recurring := periodMonths[line.frequency]
			if !recurring {
				continue
			}
			total += money.Cents(int64(line.quantity)*int64(line.unitPrice)) / money.Cents(months)
		}
	}
	return total
}

func (s *seeder) seedContracts() error {
	var builders []*ent.ContractCreate
	var owners []*client
	var plans []contractPlan
	for _, c := range s.accounts {
		for _, plan := range c.plans {
			end := s.now.AddDate(0, 0, plan.start).AddDate(0, plan.months, 0)
			builders = append(builders, s.tx.Contract.Create().
				SetAccountID(c.account.ID).
				SetName(plan.name).
				SetStatus(plan.status).
				SetStartDate(s.date(plan.start)).
				SetEndDate(end.Format("2006-01-02")).
				SetRenewalDate(end.AddDate(0, 0, -60).Format("2006-01-02")).
				SetAutoRenew(plan.renew))
			owners = append(owners, c)
			plans = append(plans, plan)
		}
	}
	contracts, err := s.tx.Contract.CreateBulk(builders...).Save(s.ctx)
	if err != nil {
		return err
	}

	var lines []*ent.ServiceLineCreate
	for i, created := range contracts {
		owners[i].contracts = append(owners[i].contracts, created)
		for _, line := range plans[i].lines {
			lines = append(lines, s.tx.ServiceLine.Create().
				SetContractID(created.ID).
				SetServiceName(line.service).
				SetCategory(line.category).
				SetQuantity(line.quantity).
				SetUnitPrice(line.unitPrice).
				SetBillingFrequency(line.frequency))
		}
	}
	return s.tx.ServiceLine.CreateBulk(lines...).Exec(s.ctx)
}
