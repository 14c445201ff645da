package demo

import (
	"fmt"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/ent/note"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/rules"
)

var lossReasons = []string{
	"Went with a lower-priced competitor",
	"Budget frozen until next fiscal year",
	"Decided to hire an internal IT person",
	"No decision; project shelved",
}

// seedDeals creates three to four deals in each of the nine default stages.
// New-logo deals sit on prospects, and expansions and renewals on clients.
// Won deals go to clients only, because winning moves a PROSPECT or
// ASSESSMENT account to ONBOARDING and the demo keeps every lifecycle stage.
func (s *seeder) seedDeals() error {
	var prospects, clients, churned []*client
	for _, c := range s.accounts {
		switch {
		case c.customer():
			clients = append(clients, c)
		case c.lifecycle == account.LifecycleStatusCHURNED:
			churned = append(churned, c)
		default:
			prospects = append(prospects, c)
		}
	}

	var builders []*ent.DealCreate
	var owners []*client
	var closedDays []int
	for _, stage := range rules.DefaultPipeline {
		for n := range s.between(3, 4) {
			var c *client
			dealType := deal.TypeNEW_LOGO
			switch {
			case stage.Won:
				c = pick(s.rng, clients)
				dealType = pick(s.rng, []deal.Type{deal.TypeEXPANSION, deal.TypeRENEWAL, deal.TypeNEW_LOGO})
			case stage.Lost && n == 0 && len(churned) > 0:
				c = pick(s.rng, churned)
				dealType = deal.TypeRENEWAL
			case stage.Lost, n%3 != 2:
				c = pick(s.rng, prospects)
			default:
				c = pick(s.rng, clients)
				dealType = pick(s.rng, []deal.Type{deal.TypeEXPANSION, deal.TypeRENEWAL})
			}
			if c.lifecycle == account.LifecycleStatusONBOARDING && stage.Won {
				dealType = deal.TypeNEW_LOGO
			}

			mrr := money.Cents(int64(s.between(8, 180)) * 2500)
			create := s.tx.Deal.Create().
				SetAccountID(c.account.ID).
				SetName(fmt.Sprintf(pick(s.rng, dealNames), c.name)).
				SetStage(stage.Key).
				SetType(dealType).
				SetEstimatedMrr(mrr).
				SetOwnerID(pick(s.rng, s.reps).ID).
				SetCreatedAt(s.daysAgo(s.between(20, 200)))
			closed := 0
			switch {
			case stage.Won || stage.Lost:
				closed = s.between(3, 150)
				create.SetExpectedCloseDate(s.date(-closed))
			default:
				create.SetExpectedCloseDate(s.date(s.between(7, 120)))
			}
			if stage.Lost {
				create.SetLossReason(pick(s.rng, lossReasons))
			}
			if !stage.Won && !stage.Lost && s.chance(0.25) {
				create.SetProbability(min(stage.Probability+s.between(-10, 10), 95))
			}
			builders = append(builders, create)
			owners = append(owners, c)
			closedDays = append(closedDays, closed)
		}
	}
	deals, err := s.tx.Deal.CreateBulk(builders...).Save(s.ctx)
	if err != nil {
		return err
	}

	// The stage hook stamps closedAt with the current time, so move it back
	// to when each closed deal was decided.
	for i, created := range deals {
		owners[i].deals = append(owners[i].deals, created)
		if closedDays[i] == 0 {
			continue
		}
		if _, err := s.tx.Deal.Update().Where(deal.ID(created.ID)).SetClosedAt(s.daysAgo(closedDays[i])).Save(s.ctx); err != nil {
			return fmt.Errorf("backdating deal %s: %w", created.ID, err)
		}
	}

	var contacts []*ent.DealContactCreate
	for i, created := range deals {
		if len(owners[i].contacts) == 0 {
			continue
		}
		contacts = append(contacts, s.tx.DealContact.Create().
			SetDealID(created.ID).
			SetContactID(owners[i].contacts[0].ID).
			SetRole("Economic buyer").
			SetIsPrimary(true))
	}
	return s.tx.DealContact.CreateBulk(contacts...).Exec(s.ctx)
}

var (
	taskStatuses   = []task.Status{task.StatusOPEN, task.StatusIN_PROGRESS, task.StatusDONE, task.StatusCANCELLED}
	taskPriorities = []task.Priority{task.PriorityLOW, task.PriorityMEDIUM, task.PriorityMEDIUM, task.PriorityHIGH, task.PriorityURGENT}
)

// seedTasks creates about 70 tasks in every status, most about an account
// and some about one of its deals.
func (s *seeder) seedTasks() error {
	assignees := append(append(append([]*ent.User{}, s.managers...), s.techs...), s.reps...)
	var builders []*ent.TaskCreate
	for n := range 72 {
		c := pick(s.rng, s.accounts)
		status := taskStatuses[n%len(taskStatuses)]
		due := s.between(-20, 45)
		if status == task.StatusDONE || status == task.StatusCANCELLED {
			due = -s.between(1, 90)
		}
		create := s.tx.Task.Create().
			SetTitle(fmt.Sprintf("%s — %s", pick(s.rng, taskTitles), c.name)).
			SetDescription("Created from the account review. Update the task when it moves.").
			SetStatus(status).
			SetPriority(pick(s.rng, taskPriorities)).
			SetDueDate(s.date(due)).
			SetAssigneeID(pick(s.rng, assignees).ID).
			SetAccountID(c.account.ID).
			SetCreatedAt(s.daysAgo(s.between(max(-due, 0)+1, 150)))
		if len(c.deals) > 0 && s.chance(0.4) {
			create.SetDealID(pick(s.rng, c.deals).ID)
		}
		builders = append(builders, create)
	}
	return s.tx.Task.CreateBulk(builders...).Exec(s.ctx)
}

// seedNotes puts notes on accounts and deals, and a few on contracts and
// contacts.
func (s *seeder) seedNotes() error {
	authors := append(append([]*ent.User{s.admin}, s.managers...), s.reps...)
	var builders []*ent.NoteCreate
	add := func(objectType note.ObjectType, objectID string) {
		builders = append(builders, s.tx.Note.Create().
			SetBody(pick(s.rng, noteBodies)).
			SetObjectType(objectType).
			SetObjectID(objectID).
			SetAuthorID(pick(s.rng, authors).ID).
			SetCreatedAt(s.daysAgo(s.between(1, 180))))
	}
	for i, c := range s.accounts {
		add(note.ObjectTypeACCOUNT, c.account.ID)
		if i%3 == 0 {
			add(note.ObjectTypeACCOUNT, c.account.ID)
		}
		for _, d := range c.deals {
			if s.chance(0.4) {
				add(note.ObjectTypeDEAL, d.ID)
			}
		}
		if len(c.contracts) > 0 && i%5 == 0 {
			add(note.ObjectTypeCONTRACT, c.contracts[0].ID)
		}
		if len(c.contacts) > 0 && i%7 == 0 {
			add(note.ObjectTypeCONTACT, c.contacts[0].ID)
		}
	}
	return s.tx.Note.CreateBulk(builders...).Exec(s.ctx)
}

var (
	touchpointTypes = []touchpoint.Type{
		touchpoint.TypeCALL, touchpoint.TypeEMAIL, touchpoint.TypeMEETING, touchpoint.TypeVIDEO_CALL,
		touchpoint.TypeSITE_VISIT, touchpoint.TypeQBR, touchpoint.TypeSLACK_MESSAGE, touchpoint.TypeOTHER,
	}
	touchpointSources  = []string{"Outlook", "ConnectWise PSA", "Zoom", "HubSpot", "Slack", "Breadbox"}
	touchpointOutcomes = []string{"Positive", "Follow-up scheduled", "Concerns raised", "Proposal requested", "No answer"}
)

// seedTouchpoints logs interactions over the past six months. Clients get
// regular contact and prospects a few recent touches. At-risk clients were
// last contacted more than 90 days ago, so their recency signals look bad.
func (s *seeder) seedTouchpoints() error {
	var builders []*ent.TouchpointCreate
	n := 0
	for _, c := range s.accounts {
		count, oldest, newest := s.between(1, 3), 60, 1
		switch c.lifecycle {
		case account.LifecycleStatusACTIVE:
			count, oldest = s.between(6, 12), 180
		case account.LifecycleStatusONBOARDING:
			count, oldest = s.between(5, 9), 45
		case account.LifecycleStatusAT_RISK:
			count, oldest, newest = s.between(2, 4), 180, 95
		case account.LifecycleStatusCHURNED:
			count, oldest, newest = s.between(1, 3), 180, 120
		}
		for range count {
			kind := touchpointTypes[n%len(touchpointTypes)]
			n++
			occurred := s.daysAgo(s.between(newest, oldest))
			direction := touchpoint.DirectionOUTBOUND
			if s.chance(0.4) {
				direction = touchpoint.DirectionINBOUND
			}
			create := s.tx.Touchpoint.Create().
				SetAccountID(c.account.ID).
				SetType(kind).
				SetDirection(direction).
				SetSubject(pick(s.rng, touchpointSubjects)).
				SetNotes(fmt.Sprintf("%s with %s.", strings.ToLower(strings.ReplaceAll(string(kind), "_", " ")), c.name)).
				SetOutcome(pick(s.rng, touchpointOutcomes)).
				SetOccurredAt(occurred).
				SetSource(pick(s.rng, touchpointSources)).
				SetCreatedAt(occurred)
			if len(c.contacts) > 0 {
				create.SetContactID(pick(s.rng, c.contacts).ID)
			}
			builders = append(builders, create)
		}
	}
	return s.tx.Touchpoint.CreateBulk(builders...).Exec(s.ctx)
}

var (
	leadSources  = []lead.Source{lead.SourceREFERRAL, lead.SourceWEBSITE, lead.SourceEVENT, lead.SourceOUTBOUND, lead.SourcePARTNER, lead.SourceOTHER}
	leadStatuses = []lead.Status{lead.StatusNEW, lead.StatusWORKING, lead.StatusQUALIFIED, lead.StatusDISQUALIFIED, lead.StatusCONVERTED}
)

// seedLeads creates 20 leads in every source and status. A converted lead
// points to one of the prospect accounts.
func (s *seeder) seedLeads() error {
	var prospects []*client
	for _, c := range s.accounts {
		if c.lifecycle == account.LifecycleStatusPROSPECT {
			prospects = append(prospects, c)
		}
	}
	builders := make([]*ent.LeadCreate, len(leadCompanies))
	for i, company := range leadCompanies {
		p := people[(i*7+3)%len(people)]
		domain := strings.ToLower(strings.NewReplacer(" ", "", "&", "", "'", "").Replace(company.name)) + ".com"
		status := leadStatuses[i%len(leadStatuses)]
		create := s.tx.Lead.Create().
			SetCompanyName(company.name).
			SetContactName(p.first + " " + p.last).
			SetEmail(strings.ToLower(p.first) + "@" + domain).
			SetPhone(fmt.Sprintf("+1 555-%03d-%04d", 100+s.rng.IntN(900), s.rng.IntN(10000))).
			SetIndustry(company.industry).
			SetEmployeeCount(company.employees).
			SetItStaffCount(company.itStaff).
			SetSource(leadSources[i%len(leadSources)]).
			SetStatus(status).
			SetOwnerID(pick(s.rng, s.reps).ID).
			SetCreatedAt(s.daysAgo(s.between(1, 120)))
		if status == lead.StatusCONVERTED && len(prospects) > 0 {
			create.SetConvertedAccountID(prospects[i%len(prospects)].account.ID)
		}
		builders[i] = create
	}
	return s.tx.Lead.CreateBulk(builders...).Exec(s.ctx)
}
