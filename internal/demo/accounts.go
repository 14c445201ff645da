package demo

import (
	"fmt"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/user"
)

// lifecycleMix is how many of the 40 accounts are in each lifecycle stage.
var lifecycleMix = []struct {
	status account.LifecycleStatus
	count  int
}{
	{account.LifecycleStatusACTIVE, 18},
	{account.LifecycleStatusAT_RISK, 5},
	{account.LifecycleStatusONBOARDING, 4},
	{account.LifecycleStatusASSESSMENT, 4},
	{account.LifecycleStatusPROSPECT, 6},
	{account.LifecycleStatusCHURNED, 3},
}

func (s *seeder) seedUsers() error {
	builders := make([]*ent.UserCreate, len(staff))
	for i, member := range staff {
		email := strings.ToLower(strings.ReplaceAll(member.name, " ", ".")) + "@brightpath-it.com"
		builders[i] = s.tx.User.Create().SetName(member.name).SetEmail(email).SetRole(user.Role(member.role))
	}
	users, err := s.tx.User.CreateBulk(builders...).Save(s.ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		switch u.Role {
		case user.RoleADMIN:
			s.admin = u
		case user.RoleACCOUNT_MANAGER:
			s.managers = append(s.managers, u)
		case user.RoleSALES_REP:
			s.reps = append(s.reps, u)
		case user.RoleSERVICE_MANAGER:
			s.service = append(s.service, u)
		case user.RoleTECHNICIAN:
			s.techs = append(s.techs, u)
		}
	}
	return nil
}

func (s *seeder) seedAccounts() error {
	var statuses []account.LifecycleStatus
	for _, mix := range lifecycleMix {
		for range mix.count {
			statuses = append(statuses, mix.status)
		}
	}
	s.rng.Shuffle(len(statuses), func(i, j int) { statuses[i], statuses[j] = statuses[j], statuses[i] })

	builders := make([]*ent.AccountCreate, len(companies))
	for i, co := range companies {
		c := &client{company: co, lifecycle: statuses[i]}
		s.accounts = append(s.accounts, c)
		if c.customer() || c.lifecycle == account.LifecycleStatusCHURNED {
			c.plans = s.planContracts(c)
		}
		builders[i] = s.accountCreate(i, c)
	}

	accounts, err := s.tx.Account.CreateBulk(builders...).Save(s.ctx)
	if err != nil {
		return err
	}
	for i, a := range accounts {
		s.accounts[i].account = a
	}

	// Riverside Pediatrics is a practice of Acme Family Healthcare. The
	// parent is set after both exist, since a reference is checked when
	// it is written.
	parent, child := s.accounts[0].account, s.accounts[8].account
	updated, err := s.tx.Account.UpdateOne(child).SetParentAccountID(parent.ID).Save(s.ctx)
	if err != nil {
		return fmt.Errorf("linking %s to its parent: %w", child.Name, err)
	}
	s.accounts[8].account = updated
	return nil
}

func (s *seeder) accountCreate(i int, c *client) *ent.AccountCreate {
	years := s.between(1, 9)
	created := s.daysAgo(years*365 + s.between(0, 300))
	if !c.customer() && c.lifecycle != account.LifecycleStatusCHURNED {
		created = s.daysAgo(s.between(5, 120))
	}

	create := s.tx.Account.Create().
		SetName(c.name).
		SetLifecycleStatus(c.lifecycle).
		SetIndustry(c.industry).
		SetEmployeeCount(c.employees).
		SetExternalID(fmt.Sprintf("hub-%d", 10001+i)).
		SetWebsite("https://www." + c.domain).
		SetPhone(fmt.Sprintf("+1 555-%03d-%04d", 100+s.rng.IntN(900), s.rng.IntN(10000))).
		SetSalesRepID(pick(s.rng, s.reps).ID).
		SetFiscalYearEndMonth(pick(s.rng, []int{12, 12, 12, 6, 9, 3})).
		SetCreatedAt(created).
		SetUpdatedAt(s.daysAgo(s.between(0, 30)))

	if frameworks := frameworksByIndustry[c.industry]; len(frameworks) > 0 {
		create.SetComplianceFrameworks(frameworks)
	}
	tags := []string{strings.ToLower(strings.ReplaceAll(c.industry, " ", "-"))}
	if c.employees >= 100 {
		tags = append(tags, "enterprise")
	}
	if s.chance(0.2) {
		tags = append(tags, "referral")
	}
	create.SetTags(tags)

	if c.customer() || c.lifecycle == account.LifecycleStatusCHURNED {
		create.
			SetAccountManagerID(pick(s.rng, s.managers).ID).
			SetSLATier(pick(s.rng, []account.SLATier{account.SLATierBRONZE, account.SLATierSILVER, account.SLATierSILVER, account.SLATierGOLD})).
			SetClientSince(created.Format("2006-01-02")).
			SetContractAnniversary(created.AddDate(years, 0, 0).Format("2006-01-02")).
			SetCurrentMrr(monthlyRecurring(c.plans))
		score, level := s.churnRisk(c.lifecycle)
		create.SetChurnRiskScore(score).SetChurnRiskLevel(level)
	}
	return create
}

// churnRisk returns a plausible current churn-risk score for the stage, and
// its level under the default cut-offs (LOW to 30, MEDIUM to 60, HIGH above).
func (s *seeder) churnRisk(status account.LifecycleStatus) (int, account.ChurnRiskLevel) {
	var score int
	switch status {
	case account.LifecycleStatusAT_RISK:
		score = s.between(62, 88)
	case account.LifecycleStatusONBOARDING:
		score = s.between(25, 50)
	case account.LifecycleStatusCHURNED:
		score = s.between(80, 95)
	default:
		score = s.between(8, 45)
	}
	return score, riskLevel(score)
}

func riskLevel(score int) account.ChurnRiskLevel {
	switch {
	case score <= 30:
		return account.ChurnRiskLevelLOW
	case score <= 60:
		return account.ChurnRiskLevelMEDIUM
	}
	return account.ChurnRiskLevelHIGH
}

var streets = []string{"Main St", "Commerce Dr", "Harbor Blvd", "Industrial Pkwy", "Oak Ave", "Market St", "Lakeview Rd", "Technology Way"}

var cities = []struct{ city, region, postal string }{
	{"Portland", "ME", "04101"}, {"Manchester", "NH", "03101"}, {"Burlington", "VT", "05401"},
	{"Worcester", "MA", "01608"}, {"Providence", "RI", "02903"}, {"Hartford", "CT", "06103"},
}

func (s *seeder) seedSites() error {
	var builders []*ent.SiteCreate
	var owners []*client
	for _, c := range s.accounts {
		if c.lifecycle == account.LifecycleStatusPROSPECT {
			continue
		}
		count := 1
		if c.employees >= 80 {
			count = 2
		}
		if c.employees >= 150 {
			count = 3
		}
		for n := range count {
			city := pick(s.rng, cities)
			name := "Main office"
			if n > 0 {
				name = fmt.Sprintf("%s branch", city.city)
			}
			builders = append(builders, s.tx.Site.Create().
				SetAccountID(c.account.ID).
				SetName(name).
				SetAddressLine1(fmt.Sprintf("%d %s", s.between(10, 2400), pick(s.rng, streets))).
				SetCity(city.city).
				SetRegion(city.region).
				SetPostalCode(city.postal).
				SetCountry("US").
				SetIsPrimary(n == 0))
			owners = append(owners, c)
		}
	}
	sites, err := s.tx.Site.CreateBulk(builders...).Save(s.ctx)
	if err != nil {
		return err
	}
	for i, site := range sites {
		owners[i].sites = append(owners[i].sites, site)
	}
	return nil
}

var influences = []accountcontact.Influence{
	accountcontact.InfluenceCHAMPION, accountcontact.InfluenceDECISION_MAKER,
	accountcontact.InfluenceGATEKEEPER, accountcontact.InfluenceDETRACTOR,
}

func (s *seeder) seedContacts() error {
	var contacts []*ent.ContactCreate
	var owners []*client
	next := s.rng.IntN(len(people))
	for _, c := range s.accounts {
		count := s.between(2, 4)
		for range count {
			p := people[next%len(people)]
			next++
			email := fmt.Sprintf("%s.%s@%s", strings.ToLower(p.first), strings.ToLower(strings.ReplaceAll(p.last, "'", "")), c.domain)
			contacts = append(contacts, s.tx.Contact.Create().
				SetFirstName(p.first).
				SetLastName(p.last).
				SetEmail(email).
				SetPhone(fmt.Sprintf("+1 555-%03d-%04d", 100+s.rng.IntN(900), s.rng.IntN(10000))).
				SetTitle(pick(s.rng, contactRoles)))
			owners = append(owners, c)
		}
	}
	created, err := s.tx.Contact.CreateBulk(contacts...).Save(s.ctx)
	if err != nil {
		return err
	}

	var links []*ent.AccountContactCreate
	for i, contact := range created {
		c := owners[i]
		primary := len(c.contacts) == 0
		c.contacts = append(c.contacts, contact)
		link := s.tx.AccountContact.Create().
			SetAccountID(c.account.ID).
			SetContactID(contact.ID).
			SetIsPrimary(primary).
			SetRole(*contact.Title)
		switch {
		case primary:
			link.SetInfluence(accountcontact.InfluenceDECISION_MAKER)
		case s.chance(0.7):
			link.SetInfluence(pick(s.rng, influences))
		}
		links = append(links, link)
	}

	// A fractional CFO and an outsourced office manager work for two
	// clients each: one person, one email, two relationships.
	for _, shared := range []struct {
		from, to int
		role     string
	}{{3, 19, "Fractional CFO"}, {12, 28, "Outsourced office manager"}} {
		person := s.accounts[shared.from].contacts[len(s.accounts[shared.from].contacts)-1]
		links = append(links, s.tx.AccountContact.Create().
			SetAccountID(s.accounts[shared.to].account.ID).
			SetContactID(person.ID).
			SetRole(shared.role).
			SetInfluence(accountcontact.InfluenceCHAMPION))
	}
	return s.tx.AccountContact.CreateBulk(links...).Exec(s.ctx)
}
