package render

import (
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/money"
)

// AccountJSON is the public shape of an account.
type AccountJSON struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	LifecycleStatus      string      `json:"lifecycleStatus"`
	Industry             *string     `json:"industry"`
	EmployeeCount        *int        `json:"employeeCount"`
	ExternalID           *string     `json:"externalId"`
	Website              *string     `json:"website"`
	Phone                *string     `json:"phone"`
	SLATier              *string     `json:"slaTier"`
	AccountManagerID     *string     `json:"accountManagerId"`
	SalesRepID           *string     `json:"salesRepId"`
	ParentAccountID      *string     `json:"parentAccountId"`
	ClientSince          *string     `json:"clientSince"`
	ContractAnniversary  *string     `json:"contractAnniversary"`
	FiscalYearEndMonth   *int        `json:"fiscalYearEndMonth"`
	ComplianceFrameworks []string    `json:"complianceFrameworks"`
	Tags                 []string    `json:"tags"`
	CurrentMrr           money.Cents `json:"currentMrr"`
	// ChurnRisk is null until the account's risk has been computed.
	ChurnRisk *ChurnRiskJSON `json:"churnRisk"`
	CreatedAt Time           `json:"createdAt"`
	UpdatedAt Time           `json:"updatedAt"`
}

// ChurnRiskJSON is an account's current churn risk: a score from 0 to 100,
// higher meaning riskier, and its level.
type ChurnRiskJSON struct {
	Score int    `json:"score"`
	Level string `json:"level"`
}

// Account renders an account.
func Account(a *ent.Account) AccountJSON {
	rendered := AccountJSON{
		ID:                   a.ID,
		Name:                 a.Name,
		LifecycleStatus:      string(a.LifecycleStatus),
		Industry:             a.Industry,
		EmployeeCount:        a.EmployeeCount,
		ExternalID:           a.ExternalID,
		Website:              a.Website,
		Phone:                a.Phone,
		SLATier:              optionalString(a.SLATier),
		AccountManagerID:     a.AccountManagerID,
		SalesRepID:           a.SalesRepID,
		ParentAccountID:      a.ParentAccountID,
		ClientSince:          a.ClientSince,
		ContractAnniversary:  a.ContractAnniversary,
		FiscalYearEndMonth:   a.FiscalYearEndMonth,
		ComplianceFrameworks: list(a.ComplianceFrameworks),
		Tags:                 list(a.Tags),
		CurrentMrr:           a.CurrentMrr,
		CreatedAt:            timeOf(a.CreatedAt),
		UpdatedAt:            timeOf(a.UpdatedAt),
	}
	if a.ChurnRiskScore != nil && a.ChurnRiskLevel != nil {
		rendered.ChurnRisk = &ChurnRiskJSON{Score: *a.ChurnRiskScore, Level: string(*a.ChurnRiskLevel)}
	}
	return rendered
}

// SiteJSON is the public shape of a site.
type SiteJSON struct {
	ID           string  `json:"id"`
	AccountID    string  `json:"accountId"`
	Name         string  `json:"name"`
	AddressLine1 *string `json:"addressLine1"`
	AddressLine2 *string `json:"addressLine2"`
	City         *string `json:"city"`
	Region       *string `json:"region"`
	PostalCode   *string `json:"postalCode"`
	Country      *string `json:"country"`
	IsPrimary    bool    `json:"isPrimary"`
	CreatedAt    Time    `json:"createdAt"`
	UpdatedAt    Time    `json:"updatedAt"`
}

// Site renders a site.
func Site(s *ent.Site) SiteJSON {
	return SiteJSON{
		ID:           s.ID,
		AccountID:    s.AccountID,
		Name:         s.Name,
		AddressLine1: s.AddressLine1,
		AddressLine2: s.AddressLine2,
		City:         s.City,
		Region:       s.Region,
		PostalCode:   s.PostalCode,
		Country:      s.Country,
		IsPrimary:    s.IsPrimary,
		CreatedAt:    timeOf(s.CreatedAt),
		UpdatedAt:    timeOf(s.UpdatedAt),
	}
}

// ContactJSON is the public shape of a contact with its account
// relationships.
type ContactJSON struct {
	ID        string                `json:"id"`
	FirstName string                `json:"firstName"`
	LastName  string                `json:"lastName"`
	Email     *string               `json:"email"`
	Phone     *string               `json:"phone"`
	Title     *string               `json:"title"`
	Accounts  []AccountRelationJSON `json:"accounts"`
	CreatedAt Time                  `json:"createdAt"`
	UpdatedAt Time                  `json:"updatedAt"`
}

// AccountRelationJSON is a contact's relationship with one account, in the
// shape POST /contacts accepts.
type AccountRelationJSON struct {
	AccountID string  `json:"accountId"`
	Role      *string `json:"role"`
	IsPrimary bool    `json:"isPrimary"`
	Influence *string `json:"influence"`
}

// Contact renders a contact with its account links, which the caller loads;
// nil renders as an empty list.
func Contact(c *ent.Contact, links []*ent.AccountContact) ContactJSON {
	relations := make([]AccountRelationJSON, 0, len(links))
	for _, link := range links {
		relations = append(relations, AccountRelationJSON{
			AccountID: link.AccountID,
			Role:      link.Role,
			IsPrimary: link.IsPrimary,
			Influence: optionalString(link.Influence),
		})
	}
	return ContactJSON{
		ID:        c.ID,
		FirstName: c.FirstName,
		LastName:  c.LastName,
		Email:     c.Email,
		Phone:     c.Phone,
		Title:     c.Title,
		Accounts:  relations,
		CreatedAt: timeOf(c.CreatedAt),
		UpdatedAt: timeOf(c.UpdatedAt),
	}
}

// DealJSON is the public shape of a deal.
type DealJSON struct {
	ID                string       `json:"id"`
	Name              string       `json:"name"`
	AccountID         string       `json:"accountId"`
	Stage             string       `json:"stage"`
	Type              string       `json:"type"`
	EstimatedMrr      *money.Cents `json:"estimatedMrr"`
	Probability       *int         `json:"probability"`
	OwnerID           *string      `json:"ownerId"`
	ExpectedCloseDate *string      `json:"expectedCloseDate"`
	ClosedAt          *Time        `json:"closedAt"`
	LossReason        *string      `json:"lossReason"`
	CreatedAt         Time         `json:"createdAt"`
	UpdatedAt         Time         `json:"updatedAt"`
}

// Deal renders a deal.
func Deal(d *ent.Deal) DealJSON {
	return DealJSON{
		ID:                d.ID,
		Name:              d.Name,
		AccountID:         d.AccountID,
		Stage:             d.Stage,
		Type:              string(d.Type),
		EstimatedMrr:      d.EstimatedMrr,
		Probability:       d.Probability,
		OwnerID:           d.OwnerID,
		ExpectedCloseDate: d.ExpectedCloseDate,
		ClosedAt:          optionalTime(d.ClosedAt),
		LossReason:        d.LossReason,
		CreatedAt:         timeOf(d.CreatedAt),
		UpdatedAt:         timeOf(d.UpdatedAt),
	}
}

// PipelineStageJSON is the public shape of a pipeline stage.
type PipelineStageJSON struct {
	ID          string `json:"id"`
	Key         string `json:"key"`
	Name        string `json:"name"`
	Position    int    `json:"position"`
	Probability int    `json:"probability"`
	IsWon       bool   `json:"isWon"`
	IsLost      bool   `json:"isLost"`
	CreatedAt   Time   `json:"createdAt"`
	UpdatedAt   Time   `json:"updatedAt"`
}

// PipelineStage renders a pipeline stage.
func PipelineStage(s *ent.PipelineStage) PipelineStageJSON {
	return PipelineStageJSON{
		ID:          s.ID,
		Key:         s.Key,
		Name:        s.Name,
		Position:    s.Position,
		Probability: s.Probability,
		IsWon:       s.IsWon,
		IsLost:      s.IsLost,
		CreatedAt:   timeOf(s.CreatedAt),
		UpdatedAt:   timeOf(s.UpdatedAt),
	}
}

// DeviceJSON is the public shape of a device.
type DeviceJSON struct {
	ID                string  `json:"id"`
	AccountID         string  `json:"accountId"`
	SiteID            *string `json:"siteId"`
	RmmAgentID        *string `json:"rmmAgentId"`
	Hostname          string  `json:"hostname"`
	Os                *string `json:"os"`
	DeviceType        *string `json:"deviceType"`
	SerialNumber      *string `json:"serialNumber"`
	IsOnline          bool    `json:"isOnline"`
	LastSeenAt        *Time   `json:"lastSeenAt"`
	PatchCompliant    *bool   `json:"patchCompliant"`
	IsEndOfLife       bool    `json:"isEndOfLife"`
	WarrantyExpiresAt *Time   `json:"warrantyExpiresAt"`
	CreatedAt         Time    `json:"createdAt"`
	UpdatedAt         Time    `json:"updatedAt"`
}

// Device renders a device.
func Device(d *ent.Device) DeviceJSON {
	return DeviceJSON{
		ID:                d.ID,
		AccountID:         d.AccountID,
		SiteID:            d.SiteID,
		RmmAgentID:        d.RmmAgentID,
		Hostname:          d.Hostname,
		Os:                d.Os,
		DeviceType:        d.DeviceType,
		SerialNumber:      d.SerialNumber,
		IsOnline:          d.IsOnline,
		LastSeenAt:        optionalTime(d.LastSeenAt),
		PatchCompliant:    d.PatchCompliant,
		IsEndOfLife:       d.IsEndOfLife,
		WarrantyExpiresAt: optionalTime(d.WarrantyExpiresAt),
		CreatedAt:         timeOf(d.CreatedAt),
		UpdatedAt:         timeOf(d.UpdatedAt),
	}
}

// TaskJSON is the public shape of a task.
type TaskJSON struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Description *string `json:"description"`
	Status      string  `json:"status"`
	Priority    string  `json:"priority"`
	DueDate     *string `json:"dueDate"`
	AssigneeID  *string `json:"assigneeId"`
	AccountID   *string `json:"accountId"`
	DealID      *string `json:"dealId"`
	CompletedAt *Time   `json:"completedAt"`
	CreatedAt   Time    `json:"createdAt"`
	UpdatedAt   Time    `json:"updatedAt"`
}

// Task renders a task.
func Task(t *ent.Task) TaskJSON {
	return TaskJSON{
		ID:          t.ID,
		Title:       t.Title,
		Description: t.Description,
		Status:      string(t.Status),
		Priority:    string(t.Priority),
		DueDate:     t.DueDate,
		AssigneeID:  t.AssigneeID,
		AccountID:   t.AccountID,
		DealID:      t.DealID,
		CompletedAt: optionalTime(t.CompletedAt),
		CreatedAt:   timeOf(t.CreatedAt),
		UpdatedAt:   timeOf(t.UpdatedAt),
	}
}

// NoteJSON is the public shape of a note.
type NoteJSON struct {
	ID         string  `json:"id"`
	Body       string  `json:"body"`
	ObjectType string  `json:"objectType"`
	ObjectID   string  `json:"objectId"`
	AuthorID   *string `json:"authorId"`
	CreatedAt  Time    `json:"createdAt"`
	UpdatedAt  Time    `json:"updatedAt"`
}

// Note renders a note.
func Note(n *ent.Note) NoteJSON {
	return NoteJSON{
		ID:         n.ID,
		Body:       n.Body,
		ObjectType: string(n.ObjectType),
		ObjectID:   n.ObjectID,
		AuthorID:   n.AuthorID,
		CreatedAt:  timeOf(n.CreatedAt),
		UpdatedAt:  timeOf(n.UpdatedAt),
	}
}

// TouchpointJSON is the public shape of a touchpoint.
type TouchpointJSON struct {
	ID         string  `json:"id"`
	AccountID  string  `json:"accountId"`
	ContactID  *string `json:"contactId"`
	Type       string  `json:"type"`
	Direction  *string `json:"direction"`
	Subject    *string `json:"subject"`
	Notes      *string `json:"notes"`
	Outcome    *string `json:"outcome"`
	OccurredAt Time    `json:"occurredAt"`
	Source     *string `json:"source"`
	CreatedAt  Time    `json:"createdAt"`
	UpdatedAt  Time    `json:"updatedAt"`
}

// Touchpoint renders a touchpoint.
func Touchpoint(t *ent.Touchpoint) TouchpointJSON {
	return TouchpointJSON{
		ID:         t.ID,
		AccountID:  t.AccountID,
		ContactID:  t.ContactID,
		Type:       string(t.Type),
		Direction:  optionalString(t.Direction),
		Subject:    t.Subject,
		Notes:      t.Notes,
		Outcome:    t.Outcome,
		OccurredAt: timeOf(t.OccurredAt),
		Source:     t.Source,
		CreatedAt:  timeOf(t.CreatedAt),
		UpdatedAt:  timeOf(t.UpdatedAt),
	}
}
