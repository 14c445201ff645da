package rest

import (
	"net/http"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/rules"
)

var leadSorts = []pagination.Field{
	{Name: "icpScore", Column: lead.FieldIcpScore},
	{Name: "companyName", Column: lead.FieldCompanyName},
	createdAtField,
	updatedAtField,
}

var leadSources = []lead.Source{
	lead.SourceREFERRAL,
	lead.SourceWEBSITE,
	lead.SourceEVENT,
	lead.SourceOUTBOUND,
	lead.SourcePARTNER,
	lead.SourceOTHER,
}

var leadStatuses = []lead.Status{
	lead.StatusNEW,
	lead.StatusWORKING,
	lead.StatusQUALIFIED,
	lead.StatusDISQUALIFIED,
	lead.StatusCONVERTED,
}

// leadReadOnly lists the lead fields that only the server sets: the ICP
// hook computes the score and breakdown on every write, and conversion sets
// convertedAccountId and convertedContactId.
var leadReadOnly = []string{"id", "icpScore", "icpBreakdown", "convertedAccountId", "convertedContactId", "createdAt", "updatedAt"}

func (a *api) listLeads(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Lead
	if status := enumFilter(f, "status", leadStatuses); status != "" {
		where = append(where, lead.StatusEQ(status))
	}
	if source := enumFilter(f, "source", leadSources); source != "" {
		where = append(where, lead.SourceEQ(source))
	}
	if ownerID := f.id("ownerId", id.User); ownerID != "" {
		where = append(where, lead.OwnerID(ownerID))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.LeadQuery, *ent.Lead, predicate.Lead, lead.OrderOption](
		req.ctx(), client.Lead.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Lead), nil
}

func (a *api) getLead(req *request) (result, error) {
	found, err := getNode[*ent.Lead](a, req, id.Lead)
	if err != nil {
		return result{}, err
	}
	return ok(render.Lead(found)), nil
}

func (a *api) createLead(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(leadReadOnly...)
	fields := readLead(b)
	if fields.status.Set && fields.status.V == lead.StatusCONVERTED {
		b.fail("status", "cannot be set to CONVERTED; convert the lead with POST /leads/{id}/convert")
	}
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateLeadInput{CompanyName: fields.companyName.V}
	setOptional(&input.ContactName, fields.contactName)
	setOptional(&input.Email, fields.email)
	setOptional(&input.Phone, fields.phone)
	setOptional(&input.Industry, fields.industry)
	setOptional(&input.EmployeeCount, fields.employeeCount)
	setOptional(&input.ItStaffCount, fields.itStaffCount)
	setOptional(&input.Source, fields.source)
	setOptional(&input.Status, fields.status)
	setOptional(&input.OwnerID, fields.ownerID)

	createdLead, err := a.resolver.Mutation().CreateLead(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Lead(createdLead)), nil
}

// updateLead updates a lead. Its status cannot move to CONVERTED, which only
// conversion sets, nor away from it, which would orphan the account the lead
// was converted into. The Lead hook enforces the same rule for every writer;
// checking here too reports it beside the body's other problems.
func (a *api) updateLead(req *request) (result, error) {
	current, err := getNode[*ent.Lead](a, req, id.Lead)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(leadReadOnly...)
	fields := readLead(b)
	if fields.status.Set && fields.status.V != current.Status {
		switch {
		case fields.status.V == lead.StatusCONVERTED:
			b.fail("status", "cannot be set to CONVERTED; convert the lead with POST /leads/{id}/convert")
		case current.Status == lead.StatusCONVERTED:
			b.fail("status", "cannot change on a CONVERTED lead")
		}
	}
	if err := b.finish(); err != nil {
		return result{}, err
	}

	var input ent.UpdateLeadInput
	setOptional(&input.CompanyName, fields.companyName)
	patchOptional(&input.ContactName, &input.ClearContactName, fields.contactName)
	patchOptional(&input.Email, &input.ClearEmail, fields.email)
	patchOptional(&input.Phone, &input.ClearPhone, fields.phone)
	patchOptional(&input.Industry, &input.ClearIndustry, fields.industry)
	patchOptional(&input.EmployeeCount, &input.ClearEmployeeCount, fields.employeeCount)
	patchOptional(&input.ItStaffCount, &input.ClearItStaffCount, fields.itStaffCount)
	setOptional(&input.Source, fields.source)
	setOptional(&input.Status, fields.status)
	patchOptional(&input.OwnerID, &input.ClearOwner, fields.ownerID)

	updated, err := a.resolver.Mutation().UpdateLead(req.ctx(), current.ID, input)
	if err != nil {
		return result{}, err
	}
	return ok(render.Lead(updated)), nil
}

// convertLeadJSON is the result of a conversion. contact is null when the
// lead has neither a contact name nor an email, and on a repeated conversion
// when the contact that convertedContactId names no longer exists.
type convertLeadJSON struct {
	Lead    render.LeadJSON     `json:"lead"`
	Account render.AccountJSON  `json:"account"`
	Contact *render.ContactJSON `json:"contact"`
}

// convertLead converts a lead into a PROSPECT account with its contact. The
// route's scope is leads:write; the account and the contact it creates also
// need accounts:write and contacts:write, checked before anything is read.
func (a *api) convertLead(req *request) (result, error) {
	principal := auth.FromContext(req.ctx())
	for _, scope := range []auth.Scope{auth.AccountsWrite, auth.ContactsWrite} {
		if !principal.Grants(scope) {
			return result{}, apierr.MissingScope(string(scope))
		}
	}
	leadID, err := req.pathID(id.Lead)
	if err != nil {
		return result{}, err
	}

	conversion, err := a.resolver.Mutation().ConvertLead(req.ctx(), leadID)
	if err != nil {
		return result{}, err
	}
	converted := convertLeadJSON{
		Lead:    render.Lead(conversion.Lead),
		Account: render.Account(conversion.Account),
	}
	if conversion.Contact != nil {
		rendered, err := a.renderContact(req, conversion.Contact)
		if err != nil {
			return result{}, err
		}
		converted.Contact = &rendered
	}
	return result{status: http.StatusOK, data: converted}, nil
}

type leadFields struct {
	companyName   value[string]
	contactName   value[string]
	email         value[string]
	phone         value[string]
	industry      value[string]
	employeeCount value[int]
	itStaffCount  value[int]
	source        value[lead.Source]
	status        value[lead.Status]
	ownerID       value[string]
}

func readLead(b *body) leadFields {
	fields := leadFields{
		companyName:   text(b, "companyName", textRule{presence: required}),
		contactName:   text(b, "contactName", textRule{}),
		email:         text(b, "email", textRule{max: 320}),
		phone:         text(b, "phone", textRule{max: 64}),
		industry:      text(b, "industry", textRule{}),
		employeeCount: integer(b, "employeeCount", optional, 0, 100_000_000),
		itStaffCount:  integer(b, "itStaffCount", optional, 0, 100_000_000),
		source:        enum(b, "source", notNull, leadSources),
		status:        enum(b, "status", notNull, leadStatuses),
		ownerID:       reference(b, "ownerId", optional, id.User),
	}
	if fields.email.Set {
		if _, err := rules.NormalizeEmail(fields.email.V); err != nil {
			b.fail("email", "%s", err.Error())
			fields.email = value[string]{}
		}
	}
	return fields
}
