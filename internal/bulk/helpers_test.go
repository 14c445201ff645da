package bulk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/testdb"
)

// statementCounter is an ent driver that counts the SQL statements sent
// through it, inside transactions too.
type statementCounter struct {
	dialect.Driver
	mu         sync.Mutex
	statements []string
}

func (c *statementCounter) record(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statements = append(c.statements, query)
}

// reset forgets the statements counted so far.
func (c *statementCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statements = nil
}

// count returns the number of statements since the last reset.
func (c *statementCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.statements)
}

// summary lists the statements since the last reset, shortened, for
// failure messages.
func (c *statementCounter) summary() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, query := range c.statements {
		if len(query) > 120 {
			query = query[:120] + "…"
		}
		b.WriteString(query)
		b.WriteByte('\n')
	}
	return b.String()
}

func (c *statementCounter) Exec(ctx context.Context, query string, args, v any) error {
	c.record(query)
	return c.Driver.Exec(ctx, query, args, v)
}

func (c *statementCounter) Query(ctx context.Context, query string, args, v any) error {
	c.record(query)
	return c.Driver.Query(ctx, query, args, v)
}

func (c *statementCounter) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := c.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countedTx{Tx: tx, counter: c}, nil
}

type countedTx struct {
	dialect.Tx
	counter *statementCounter
}

func (t *countedTx) Exec(ctx context.Context, query string, args, v any) error {
	t.counter.record(query)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countedTx) Query(ctx context.Context, query string, args, v any) error {
	t.counter.record(query)
	return t.Tx.Query(ctx, query, args, v)
}

// env is one test's fresh database with an org, a client that counts its
// statements and a context acting as an API key of that org.
type env struct {
	client  *ent.Client
	counter *statementCounter
	orgID   string
	// ctx carries an API key principal with the bulk write scopes.
	ctx context.Context
	// system acts as the system inside the org, for fixtures.
	system context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := testdb.Open(t)
	counter := &statementCounter{Driver: db.Driver}
	client := ent.NewClient(ent.Driver(counter))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	org, err := admin.CreateOrg(ctx, client, "Northwind IT", "")
	if err != nil {
		t.Fatalf("creating the org: %v", err)
	}
	return &env{
		client:  client,
		counter: counter,
		orgID:   org.ID,
		ctx:     keyContext(ctx, org.ID),
		system:  auth.SystemContext(ctx, org.ID),
	}
}

// keyContext acts as an API key of the org with every bulk write scope.
func keyContext(ctx context.Context, orgID string) context.Context {
	return auth.WithPrincipal(ctx, &auth.Principal{
		OrgID:  orgID,
		KeyID:  "key_test",
		Scopes: auth.NewScopeSet(auth.AccountsWrite, auth.ContactsWrite, auth.DevicesWrite, auth.DealsWrite),
	})
}

// createAccount adds an account to the org of ctx.
func createAccount(t *testing.T, ctx context.Context, client *ent.Client, name string) *ent.Account {
	t.Helper()
	created, err := client.Account.Create().SetName(name).Save(ctx)
	if err != nil {
		t.Fatalf("creating account %s: %v", name, err)
	}
	return created
}

// validationDetails returns the details of a validation_error, failing the
// test for any other outcome.
func validationDetails(t *testing.T, err error) []apierr.Detail {
	t.Helper()
	if err == nil {
		t.Fatal("expected a validation_error, got success")
	}
	apiErr, ok := apierr.As(err)
	if !ok || apiErr.Code != apierr.ValidationError {
		t.Fatalf("expected a validation_error, got %v", err)
	}
	return apiErr.Details
}

// hasDetail reports whether details contain path with a message containing
// text.
func hasDetail(details []apierr.Detail, text string, path ...any) bool {
	for _, detail := range details {
		if apierr.FormatPath(detail.Path) == apierr.FormatPath(path) && strings.Contains(detail.Message, text) {
			return true
		}
	}
	return false
}

// containsWord reports whether text contains word in upper case.
func containsWord(text, word string) bool {
	return strings.Contains(strings.ToUpper(text), word+" ")
}
