package render

import (
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/mrr"
)

// LeadJSON is the public shape of a lead. icpScore, icpBreakdown,
// convertedAccountId and convertedContactId are computed and read-only.
type LeadJSON struct {
	ID                 string          `json:"id"`
	CompanyName        string          `json:"companyName"`
	ContactName        *string         `json:"contactName"`
	Email              *string         `json:"email"`
	Phone              *string         `json:"phone"`
	Industry           *string         `json:"industry"`
	EmployeeCount      *int            `json:"employeeCount"`
	ITStaffCount       *int            `json:"itStaffCount"`
	Source             string          `json:"source"`
	Status             string          `json:"status"`
	OwnerID            *string         `json:"ownerId"`
	IcpScore           int             `json:"icpScore"`
	IcpBreakdown       []IcpFactorJSON `json:"icpBreakdown"`
	ConvertedAccountID *string         `json:"convertedAccountId"`
	ConvertedContactID *string         `json:"convertedContactId"`
	CreatedAt          Time            `json:"createdAt"`
	UpdatedAt          Time            `json:"updatedAt"`
}

// IcpFactorJSON is the points one factor of the ICP score gave, out of its
// maximum, and why.
type IcpFactorJSON struct {
	Factor string `json:"factor"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
	Reason string `json:"reason"`
}

// Lead renders a lead with its ICP breakdown as the ICP hook stored it.
func Lead(l *ent.Lead) LeadJSON {
	breakdown := make([]IcpFactorJSON, 0, len(l.IcpBreakdown))
	for _, row := range l.IcpBreakdown {
		factor, _ := row["factor"].(string)
		reason, _ := row["reason"].(string)
		breakdown = append(breakdown, IcpFactorJSON{
			Factor: factor,
			Points: wholeNumber(row["points"]),
			Max:    wholeNumber(row["max"]),
			Reason: reason,
		})
	}
	return LeadJSON{
		ID:                 l.ID,
		CompanyName:        l.CompanyName,
		ContactName:        l.ContactName,
		Email:              l.Email,
		Phone:              l.Phone,
		Industry:           l.Industry,
		EmployeeCount:      l.EmployeeCount,
		ITStaffCount:       l.ItStaffCount,
		Source:             string(l.Source),
		Status:             string(l.Status),
		OwnerID:            l.OwnerID,
		IcpScore:           l.IcpScore,
		IcpBreakdown:       breakdown,
		ConvertedAccountID: l.ConvertedAccountID,
		ConvertedContactID: l.ConvertedContactID,
		CreatedAt:          timeOf(l.CreatedAt),
		UpdatedAt:          timeOf(l.UpdatedAt),
	}
}

// wholeNumber reads a number of a decoded JSON object, which is a float64
// after a database round trip and an int before it.
func wholeNumber(value any) int {
	switch typed := value.(type) {
	case int:
		return typed
	case int64:
		return int(typed)
	case float64:
		return int(typed)
	}
	return 0
}

// ContractJSON is the public shape of a contract with its service lines.
type ContractJSON struct {
	ID          string  `json:"id"`
	AccountID   string  `json:"accountId"`
	Name        string  `json:"name"`
	Status      string  `json:"status"`
	StartDate   *string `json:"startDate"`
	EndDate     *string `json:"endDate"`
	RenewalDate *string `json:"renewalDate"`
	AutoRenew   bool    `json:"autoRenew"`
	// Mrr is the sum of the service lines' MRR whatever the contract's
	// status; only ACTIVE contracts count toward an account's currentMrr.
	Mrr          money.Cents       `json:"mrr"`
	ServiceLines []ServiceLineJSON `json:"serviceLines"`
	CreatedAt    Time              `json:"createdAt"`
	UpdatedAt    Time              `json:"updatedAt"`
}

// ServiceLineJSON is the public shape of a service line with its price
// normalised to a month.
type ServiceLineJSON struct {
	ID               string      `json:"id"`
	ServiceName      string      `json:"serviceName"`
	Category         string      `json:"category"`
	Quantity         int         `json:"quantity"`
	UnitPrice        money.Cents `json:"unitPrice"`
	BillingFrequency string      `json:"billingFrequency"`
	Mrr              money.Cents `json:"mrr"`
	CreatedAt        Time        `json:"createdAt"`
	UpdatedAt        Time        `json:"updatedAt"`
}

// Contract renders a contract with its service lines, which the caller
// loads; nil renders as an empty list.
func Contract(c *ent.Contract, lines []*ent.ServiceLine) ContractJSON {
	rendered := ContractJSON{
		ID:           c.ID,
		AccountID:    c.AccountID,
		Name:         c.Name,
		Status:       string(c.Status),
		StartDate:    c.StartDate,
		EndDate:      c.EndDate,
		RenewalDate:  c.RenewalDate,
		AutoRenew:    c.AutoRenew,
		ServiceLines: make([]ServiceLineJSON, 0, len(lines)),
		CreatedAt:    timeOf(c.CreatedAt),
		UpdatedAt:    timeOf(c.UpdatedAt),
	}
	for _, line := range lines {
		lineMRR := mrr.ServiceLineMRR(line.Quantity, line.UnitPrice, line.BillingFrequency)
		rendered.Mrr += lineMRR
		rendered.ServiceLines = append(rendered.ServiceLines, ServiceLineJSON{
			ID:               line.ID,
			ServiceName:      line.ServiceName,
			Category:         string(line.Category),
			Quantity:         line.Quantity,
			UnitPrice:        line.UnitPrice,
			BillingFrequency: string(line.BillingFrequency),
			Mrr:              lineMRR,
			CreatedAt:        timeOf(line.CreatedAt),
			UpdatedAt:        timeOf(line.UpdatedAt),
		})
	}
	return rendered
}

// ComplianceItemJSON is the public shape of a compliance item.
type ComplianceItemJSON struct {
	ID          string  `json:"id"`
	AccountID   string  `json:"accountId"`
	Framework   string  `json:"framework"`
	Title       string  `json:"title"`
	Status      string  `json:"status"`
	DueDate     *string `json:"dueDate"`
	AssigneeID  *string `json:"assigneeId"`
	CompletedAt *Time   `json:"completedAt"`
	CreatedAt   Time    `json:"createdAt"`
	UpdatedAt   Time    `json:"updatedAt"`
}

// ComplianceItem renders a compliance item.
func ComplianceItem(c *ent.ComplianceItem) ComplianceItemJSON {
	return ComplianceItemJSON{
		ID:          c.ID,
		AccountID:   c.AccountID,
		Framework:   string(c.Framework),
		Title:       c.Title,
		Status:      string(c.Status),
		DueDate:     c.DueDate,
		AssigneeID:  c.AssigneeID,
		CompletedAt: optionalTime(c.CompletedAt),
		CreatedAt:   timeOf(c.CreatedAt),
		UpdatedAt:   timeOf(c.UpdatedAt),
	}
}

// MRRSummaryJSON is an org's MRR by service category. It names no currency,
// because Breadbox stores amounts without one.
type MRRSummaryJSON struct {
	TotalMrr money.Cents `json:"totalMrr"`
	// Arr is TotalMrr × 12.
	Arr        money.Cents       `json:"arr"`
	Categories []MRRCategoryJSON `json:"categories"`
}

// MRRCategoryJSON is the MRR of one service category.
type MRRCategoryJSON struct {
	Category string      `json:"category"`
	Mrr      money.Cents `json:"mrr"`
	Arr      money.Cents `json:"arr"`
	// Share is the percentage of the total MRR, with two decimals.
	Share float64 `json:"share"`
	// Accounts counts the accounts whose MRR in the category is above zero.
	Accounts int `json:"accounts"`
}

// MRRSummary renders an org's MRR summary.
func MRRSummary(summary mrr.OrgSummary) MRRSummaryJSON {
	categories := make([]MRRCategoryJSON, len(summary.Categories))
	for i, row := range summary.Categories {
		categories[i] = MRRCategoryJSON{
			Category: string(row.Category),
			Mrr:      row.MRR,
			Arr:      row.ARR,
			Share:    row.Share,
			Accounts: row.Accounts,
		}
	}
	return MRRSummaryJSON{TotalMrr: summary.TotalMRR, Arr: summary.ARR, Categories: categories}
}
