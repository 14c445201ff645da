package rest

import (
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/note"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var noteSorts = []pagination.Field{createdAtField, updatedAtField}

var noteObjectTypes = []note.ObjectType{
	note.ObjectTypeACCOUNT,
	note.ObjectTypeDEAL,
	note.ObjectTypeCONTRACT,
	note.ObjectTypeLEAD,
	note.ObjectTypeCONTACT,
}

var activityReadOnly = []string{"id", "createdAt", "updatedAt"}

func (a *api) listNotes(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Note
	if objectType := enumFilter(f, "objectType", noteObjectTypes); objectType != "" {
		where = append(where, note.ObjectTypeEQ(objectType))
	}
	if objectID := f.text("objectId"); objectID != "" {
		if !cursorPattern.MatchString(objectID) {
			f.fail("objectId", "must be the ID of an account, deal, contract, lead or contact")
		}
		where = append(where, note.ObjectID(objectID))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.NoteQuery, *ent.Note, predicate.Note, note.OrderOption](
		req.ctx(), client.Note.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Note), nil
}

// createNote creates a note; its ent hook checks that objectId names a record
// of objectType in the org.
func (a *api) createNote(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(activityReadOnly...)
	noteBody := text(b, "body", textRule{presence: required, max: maxLongText})
	objectType := enum(b, "objectType", required, noteObjectTypes)
	objectID := text(b, "objectId", textRule{presence: required, max: 64})
	authorID := reference(b, "authorId", optional, id.User)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateNoteInput{Body: noteBody.V, ObjectType: objectType.V, ObjectID: objectID.V}
	setOptional(&input.AuthorID, authorID)
	createdNote, err := a.resolver.Mutation().CreateNote(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Note(createdNote)), nil
}

var touchpointSorts = []pagination.Field{
	{Name: "occurredAt", Column: touchpoint.FieldOccurredAt},
	createdAtField,
	updatedAtField,
}

var touchpointTypes = []touchpoint.Type{
	touchpoint.TypeCALL,
	touchpoint.TypeEMAIL,
	touchpoint.TypeMEETING,
	touchpoint.TypeVIDEO_CALL,
	touchpoint.TypeSITE_VISIT,
	touchpoint.TypeQBR,
	touchpoint.TypeSLACK_MESSAGE,
	touchpoint.TypeOTHER,
}

var touchpointDirections = []touchpoint.Direction{touchpoint.DirectionINBOUND, touchpoint.DirectionOUTBOUND}

func (a *api) listTouchpoints(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Touchpoint
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, touchpoint.AccountID(accountID))
	}
	if touchpointType := enumFilter(f, "type", touchpointTypes); touchpointType != "" {
		where = append(where, touchpoint.TypeEQ(touchpointType))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.TouchpointQuery, *ent.Touchpoint, predicate.Touchpoint, touchpoint.OrderOption](
		req.ctx(), client.Touchpoint.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Touchpoint), nil
}

// createTouchpoint logs a touchpoint; occurredAt defaults to now and may be in
// the past.
func (a *api) createTouchpoint(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(activityReadOnly...)
	accountID := reference(b, "accountId", required, id.Account)
	contactID := reference(b, "contactId", optional, id.Contact)
	touchpointType := enum(b, "type", required, touchpointTypes)
	direction := enum(b, "direction", optional, touchpointDirections)
	subject := text(b, "subject", textRule{})
	notes := text(b, "notes", textRule{max: maxLongText, blank: true})
	outcome := text(b, "outcome", textRule{})
	occurredAt := timestamp(b, "occurredAt")
	source := text(b, "source", textRule{})
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateTouchpointInput{AccountID: accountID.V, Type: touchpointType.V}
	setOptional(&input.ContactID, contactID)
	setOptional(&input.Direction, direction)
	setOptional(&input.Subject, subject)
	setOptional(&input.Notes, notes)
	setOptional(&input.Outcome, outcome)
	setOptional(&input.OccurredAt, occurredAt)
	setOptional(&input.Source, source)

	createdTouchpoint, err := a.resolver.Mutation().CreateTouchpoint(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Touchpoint(createdTouchpoint)), nil
}
