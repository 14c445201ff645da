// Command gen writes a new versioned migration for SQLite and PostgreSQL when
// the ent schema differs from the schema that the existing migrations build.
//
// For each dialect it replays migrate/<dialect>/*.up.sql on an empty dev
// database, compares the result with the ent schema and, if they differ,
// writes VERSION_NAME.up.sql, VERSION_NAME.down.sql and an updated atlas.sum
// in golang-migrate's format. When nothing differs it writes nothing, so
// `go generate ./...` leaves no diff. Run it from the module root:
//
//	go run ./migrate/gen -name add_invoices
//
// The PostgreSQL dev database is created on the server named by
// BREADBOX_DEV_POSTGRES_URL and dropped afterwards.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"github.com/breadbox/breadbox/ent"
	_ "github.com/breadbox/breadbox/ent/runtime" // installs hooks, policies and defaults
	"github.com/breadbox/breadbox/migrate/internal/devdb"
)

const defaultDevPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// migrationName is the pattern that -name must match, because the name
// becomes part of the file names.
var migrationName = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

func main() {
	name := flag.String("name", "changes", "short name of the new migration, in lowercase snake_case; the file names are VERSION_NAME.up.sql and VERSION_NAME.down.sql")
	root := flag.String("dir", "migrate", "folder that holds the sqlite and postgres migration folders")
	dialects := flag.String("dialects", "sqlite,postgres", "comma-separated dialects to generate for: sqlite, postgres")
	flag.Parse()

	if err := run(context.Background(), *name, *root, *dialects); err != nil {
		slog.Error("generating migrations failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, name, root, dialects string) error {
	if !migrationName.MatchString(name) {
		return fmt.Errorf("invalid -name %q; use lowercase letters, digits and single underscores, such as add_invoices", name)
	}

	// One version for every file of this run keeps the SQLite and PostgreSQL
	// migrations of one schema change under the same number.
	version := time.Now().UTC().Format("20060102150405")

	// Check every dialect before writing anything, so a typo in -dialects
	// does not leave one dialect's migration written and the other missing.
	generators := map[string]func(ctx context.Context, dir, name, version string) error{
		"sqlite":   diffSQLite,
		"postgres": diffPostgres,
	}
	var names []string
	for _, d := range strings.Split(dialects, ",") {
		d = strings.TrimSpace(d)
		if generators[d] == nil {
			return fmt.Errorf("unknown dialect %q in -dialects; use sqlite, postgres or both", d)
		}
		names = append(names, d)
	}

	for _, d := range names {
		if err := generators[d](ctx, filepath.Join(root, d), name, version); err != nil {
			return err
		}
	}
	return nil
}

func diffSQLite(ctx context.Context, dir, name, version string) error {
	db, err := devdb.OpenSQLiteMemory(ctx, "breadbox_migrate_dev")
	if err != nil {
		return err
	}
	defer db.Close()

	return writeDiff(ctx, db, dialect.SQLite, dir, name, version)
}

func diffPostgres(ctx context.Context, dir, name, version string) (err error) {
	serverURL := os.Getenv("BREADBOX_DEV_POSTGRES_URL")
	if serverURL == "" {
		serverURL = defaultDevPostgresURL
	}

	dev, err := devdb.CreatePostgres(ctx, serverURL, "breadbox_migrate_dev_")
	if err != nil {
		return fmt.Errorf("%w; set BREADBOX_DEV_POSTGRES_URL to a PostgreSQL server where you may create databases, or pass -dialects sqlite", err)
	}
	defer func() {
		if dropErr := dev.Drop(context.WithoutCancel(ctx)); dropErr != nil {
			slog.Error("dropping the PostgreSQL dev database failed", "database", dev.Name, "error", dropErr)
		}
	}()

	db, err := sql.Open("pgx", dev.URL)
	if err != nil {
		return fmt.Errorf("opening the PostgreSQL dev database %q: %w", dev.Name, err)
	}
	defer db.Close()

	return writeDiff(ctx, db, dialect.Postgres, dir, name, version)
}

// writeDiff replays the migrations in dir on the empty dev database db and
// writes a new migration for whatever the ent schema adds, changes or drops.
func writeDiff(ctx context.Context, db *sql.DB, dialectName, dir, name, version string) error {
	migrationDir, err := sqltool.NewGolangMigrateDir(dir)
	if err != nil {
		return fmt.Errorf("opening the migration folder %s (run from the module root or set -dir): %w", dir, err)
	}
	formatter, err := golangMigrateFormatter(version)
	if err != nil {
		return err
	}

	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialectName, db)))
	err = client.Schema.NamedDiff(ctx, name,
		schema.WithDir(migrationDir),
		schema.WithFormatter(formatter),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialectName),
		// Migrations are reviewed files, so they follow the ent schema exactly,
		// removed fields and indexes included.
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		return fmt.Errorf("writing the %s migration in %s: %w", dialectName, dir, err)
	}
	return nil
}

// golangMigrateFormatter returns the templates of atlas's
// sqltool.GolangMigrateFormatter (ariga.io/atlas v0.32.1) with a fixed version
// in place of its "now" function, which it evaluates once per file name, so an
// up file and its down file could otherwise get different versions.
func golangMigrateFormatter(version string) (atlasmigrate.Formatter, error) {
	sources := []string{
		version + "{{ with .Name }}_{{ . }}{{ end }}.up.sql",
		`{{ range .Changes }}{{ with .Comment }}-- {{ println . }}{{ end }}{{ printf "%s;\n" .Cmd }}{{ end }}`,
		version + "{{ with .Name }}_{{ . }}{{ end }}.down.sql",
		`{{ range $c := rev .Changes }}{{ with $stmts := .ReverseStmts }}{{ with $c.Comment }}-- reverse: {{ println . }}{{ end }}{{ range $stmts }}{{ printf "%s;\n" . }}{{ end }}{{ end }}{{ end }}`,
	}
	funcs := template.FuncMap{"rev": reverseChanges}

	templates := make([]*template.Template, len(sources))
	for i, source := range sources {
		parsed, err := template.New("").Funcs(funcs).Parse(source)
		if err != nil {
			return nil, fmt.Errorf("parsing migration template %d: %w", i, err)
		}
		templates[i] = parsed
	}
	return atlasmigrate.NewTemplateFormatter(templates...)
}

func reverseChanges(changes []*atlasmigrate.Change) []*atlasmigrate.Change {
	reversed := make([]*atlasmigrate.Change, len(changes))
	for i, change := range changes {
		reversed[len(changes)-1-i] = change
	}
	return reversed
}
