package rest

import (
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var taskSorts = []pagination.Field{
	{Name: "title", Column: task.FieldTitle},
	{Name: "dueDate", Column: task.FieldDueDate, Nullable: true},
	{Name: "completedAt", Column: task.FieldCompletedAt, Nullable: true},
	createdAtField,
	updatedAtField,
}

var taskStatuses = []task.Status{task.StatusOPEN, task.StatusIN_PROGRESS, task.StatusDONE, task.StatusCANCELLED}

var taskPriorities = []task.Priority{task.PriorityLOW, task.PriorityMEDIUM, task.PriorityHIGH, task.PriorityURGENT}

var taskReadOnly = []string{"id", "completedAt", "createdAt", "updatedAt"}

// maxLongText is the limit of free text such as descriptions and note
// bodies, in characters.
const maxLongText = 65535

func (a *api) listTasks(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Task
	if status := enumFilter(f, "status", taskStatuses); status != "" {
		where = append(where, task.StatusEQ(status))
	}
	if assigneeID := f.id("assigneeId", id.User); assigneeID != "" {
		where = append(where, task.AssigneeID(assigneeID))
	}
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, task.AccountID(accountID))
	}
	if dealID := f.id("dealId", id.Deal); dealID != "" {
		where = append(where, task.DealID(dealID))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.TaskQuery, *ent.Task, predicate.Task, task.OrderOption](
		req.ctx(), client.Task.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Task), nil
}

func (a *api) getTask(req *request) (result, error) {
	found, err := getNode[*ent.Task](a, req, id.Task)
	if err != nil {
		return result{}, err
	}
	return ok(render.Task(found)), nil
}

func (a *api) createTask(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(taskReadOnly...)
	fields := readTask(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateTaskInput{Title: fields.title.V}
	setOptional(&input.Description, fields.description)
	setOptional(&input.Status, fields.status)
	setOptional(&input.Priority, fields.priority)
	setOptional(&input.DueDate, fields.dueDate)
	setOptional(&input.AssigneeID, fields.assigneeID)
	setOptional(&input.AccountID, fields.accountID)
	setOptional(&input.DealID, fields.dealID)

	createdTask, err := a.resolver.Mutation().CreateTask(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Task(createdTask)), nil
}

// updateTask updates a task; the task's ent hook stamps completedAt when the
// status becomes DONE and clears it when the status leaves DONE.
func (a *api) updateTask(req *request) (result, error) {
	taskID, err := req.pathID(id.Task)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(taskReadOnly...)
	fields := readTask(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	var input ent.UpdateTaskInput
	setOptional(&input.Title, fields.title)
	patchOptional(&input.Description, &input.ClearDescription, fields.description)
	setOptional(&input.Status, fields.status)
	setOptional(&input.Priority, fields.priority)
	patchOptional(&input.DueDate, &input.ClearDueDate, fields.dueDate)
	patchOptional(&input.AssigneeID, &input.ClearAssignee, fields.assigneeID)
	patchOptional(&input.AccountID, &input.ClearAccount, fields.accountID)
	patchOptional(&input.DealID, &input.ClearDeal, fields.dealID)

	updated, err := a.resolver.Mutation().UpdateTask(req.ctx(), taskID, input)
	if err != nil {
		return result{}, err
	}
	return ok(render.Task(updated)), nil
}

func (a *api) deleteTask(req *request) (result, error) {
	taskID, err := req.pathID(id.Task)
	if err != nil {
		return result{}, err
	}
	deleted, err := a.resolver.Mutation().DeleteTask(req.ctx(), taskID)
	if err != nil {
		return result{}, err
	}
	return ok(render.HardDeleted(deleted.ID)), nil
}

type taskFields struct {
	title       value[string]
	description value[string]
	status      value[task.Status]
	priority    value[task.Priority]
	dueDate     value[string]
	assigneeID  value[string]
	accountID   value[string]
	dealID      value[string]
}

func readTask(b *body) taskFields {
	return taskFields{
		title:       text(b, "title", textRule{presence: required}),
		description: text(b, "description", textRule{max: maxLongText, blank: true}),
		status:      enum(b, "status", notNull, taskStatuses),
		priority:    enum(b, "priority", notNull, taskPriorities),
		dueDate:     date(b, "dueDate"),
		assigneeID:  reference(b, "assigneeId", optional, id.User),
		accountID:   reference(b, "accountId", optional, id.Account),
		dealID:      reference(b, "dealId", optional, id.Deal),
	}
}
