package migrate_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/migrate"
	"github.com/breadbox/breadbox/migrate/internal/devdb"
)

// driftCase changes a migrated database so that it no longer matches the ent
// schema. want is a word that the schema diff must contain.
type driftCase struct {
	name string
	sql  string
	want string
}

var sqliteDrift = []driftCase{
	{"missing column", "ALTER TABLE accounts DROP COLUMN website", "website"},
	// SQLite drops a column by rebuilding the table without it.
	{"extra column", "ALTER TABLE accounts ADD COLUMN stray text NULL", "DROP TABLE `accounts`"},
	{"missing index", "DROP INDEX account_org_id_lifecycle_status", "account_org_id_lifecycle_status"},
}

var postgresDrift = []driftCase{
	{"missing column", `ALTER TABLE accounts DROP COLUMN website`, "website"},
	{"extra column", `ALTER TABLE accounts ADD COLUMN stray text NULL`, "stray"},
	{"missing index", `DROP INDEX account_org_id_lifecycle_status`, "account_org_id_lifecycle_status"},
	{"changed type", `ALTER TABLE accounts ALTER COLUMN employee_count TYPE integer`, "employee_count"},
}

func TestApplySQLite(t *testing.T) {
	db := openSQLite(t)
	checkApplyMatchesSchema(t, db)
}

func TestApplyPostgres(t *testing.T) {
	db := openPostgres(t)
	checkApplyMatchesSchema(t, db)
}

func TestDriftDetectedSQLite(t *testing.T) {
	for _, tc := range sqliteDrift {
		t.Run(tc.name, func(t *testing.T) {
			checkDriftDetected(t, openSQLite(t), tc)
		})
	}
}

func TestDriftDetectedPostgres(t *testing.T) {
	if os.Getenv("BREADBOX_TEST_POSTGRES_URL") == "" {
		t.Skip("BREADBOX_TEST_POSTGRES_URL is not set")
	}
	for _, tc := range postgresDrift {
		t.Run(tc.name, func(t *testing.T) {
			checkDriftDetected(t, openPostgres(t), tc)
		})
	}
}

// TestPartialMigrationDetected applies only the first statement of the
// first migration, so most tables are missing and the diff must create them.
func TestPartialMigrationDetected(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)

	up := readFirstUpFile(t, "sqlite")
	first, _, found := strings.Cut(up, ";\n")
	require.True(t, found, "the first SQLite migration has no statement end")
	_, err := db.SQL.ExecContext(ctx, first)
	require.NoError(t, err, "running the first statement of the first migration")

	diff := schemaDiff(t, db)
	require.Contains(t, diff, "CREATE TABLE", "the diff of a partly migrated database creates the missing tables")
}

// TestMigrationFilesMatchAtlasSum fails when a migration file was edited,
// added or removed without regenerating atlas.sum.
func TestMigrationFilesMatchAtlasSum(t *testing.T) {
	for _, folder := range []string{"sqlite", "postgres"} {
		t.Run(folder, func(t *testing.T) {
			dir, err := atlasmigrate.NewLocalDir(folder)
			require.NoError(t, err)
			require.NoError(t, atlasmigrate.Validate(dir), "files in migrate/%s differ from atlas.sum; regenerate with go run ./migrate/gen instead of editing them", folder)
		})
	}
}

func TestAtlasSumDetectsEditedFile(t *testing.T) {
	copied := t.TempDir()
	entries, err := os.ReadDir("sqlite")
	require.NoError(t, err)
	for _, entry := range entries {
		content, err := os.ReadFile(filepath.Join("sqlite", entry.Name()))
		require.NoError(t, err)
		if strings.HasSuffix(entry.Name(), ".up.sql") {
			content = append(content, "-- edited by hand\n"...)
		}
		require.NoError(t, os.WriteFile(filepath.Join(copied, entry.Name()), content, 0o644))
	}

	dir, err := atlasmigrate.NewLocalDir(copied)
	require.NoError(t, err)
	require.ErrorIs(t, atlasmigrate.Validate(dir), atlasmigrate.ErrChecksumMismatch)
}

func TestApplySQLiteInMemory(t *testing.T) {
	ctx := context.Background()
	db, err := devdb.OpenSQLiteMemory(ctx, t.Name())
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })

	require.NoError(t, migrate.Apply(ctx, db, dialect.SQLite), "first Apply")
	require.NoError(t, migrate.Apply(ctx, db, dialect.SQLite), "second Apply")
	require.NoError(t, db.PingContext(ctx), "Apply closed the in-memory pool")

	current, latest, dirty, err := migrate.Status(ctx, db, dialect.SQLite)
	require.NoError(t, err)
	require.Equal(t, latest, current)
	require.False(t, dirty)

	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db)))
	var diff strings.Builder
	require.NoError(t, client.Schema.WriteTo(ctx, &diff, schema.WithDropColumn(true), schema.WithDropIndex(true)))
	require.Empty(t, diff.String())
}

// sqliteParentsSchema has a child table for each foreign key action that a
// table rebuild of parents could trigger.
const sqliteParentsSchema = `CREATE TABLE parents (id integer NOT NULL PRIMARY KEY);
CREATE TABLE nullable_children (id integer NOT NULL PRIMARY KEY, parent_id integer NULL REFERENCES parents (id) ON DELETE SET NULL);
CREATE TABLE strict_children (id integer NOT NULL PRIMARY KEY, parent_id integer NOT NULL REFERENCES parents (id) ON DELETE NO ACTION);
`

// sqliteRebuildParents is a table rebuild in the form atlas writes it.
const sqliteRebuildParents = `-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
CREATE TABLE new_parents (id integer NOT NULL PRIMARY KEY, name text NULL);
INSERT INTO new_parents (id) SELECT id FROM parents;
DROP TABLE parents;
ALTER TABLE new_parents RENAME TO parents;
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
`

func TestApplySQLiteRebuildKeepsChildRows(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)

	files := fstest.MapFS{
		"m/1_parents.up.sql":   {Data: []byte(sqliteParentsSchema)},
		"m/1_parents.down.sql": {Data: []byte("DROP TABLE strict_children; DROP TABLE nullable_children; DROP TABLE parents;")},
	}
	require.NoError(t, migrate.ApplySQLiteFiles(ctx, db.SQL, files, "m"))
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO parents (id) VALUES (1);
INSERT INTO nullable_children (id, parent_id) VALUES (1, 1);
INSERT INTO strict_children (id, parent_id) VALUES (1, 1);`)
	require.NoError(t, err)

	files["m/2_rebuild_parents.up.sql"] = &fstest.MapFile{Data: []byte(sqliteRebuildParents)}
	files["m/2_rebuild_parents.down.sql"] = &fstest.MapFile{Data: []byte("ALTER TABLE parents DROP COLUMN name;")}
	require.NoError(t, migrate.ApplySQLiteFiles(ctx, db.SQL, files, "m"), "rebuilding a table with child rows")

	var parentID sql.NullInt64
	require.NoError(t, db.SQL.QueryRowContext(ctx, "SELECT parent_id FROM nullable_children WHERE id = 1").Scan(&parentID))
	require.Equal(t, sql.NullInt64{Int64: 1, Valid: true}, parentID, "the rebuild set an ON DELETE SET NULL reference to NULL")

	var foreignKeys bool
	require.NoError(t, db.SQL.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&foreignKeys))
	require.True(t, foreignKeys, "foreign keys are off on the application's pool after Apply")
}

func TestApplySQLiteRejectsBrokenForeignKeys(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)

	files := fstest.MapFS{
		"m/1_parents.up.sql":        {Data: []byte(sqliteParentsSchema + "INSERT INTO parents (id) VALUES (1);\nINSERT INTO strict_children (id, parent_id) VALUES (1, 1);\n")},
		"m/1_parents.down.sql":      {Data: []byte("DROP TABLE strict_children; DROP TABLE nullable_children; DROP TABLE parents;")},
		"m/2_drop_parents.up.sql":   {Data: []byte("DELETE FROM parents;")},
		"m/2_drop_parents.down.sql": {Data: []byte("INSERT INTO parents (id) VALUES (1);")},
	}
	err := migrate.ApplySQLiteFiles(ctx, db.SQL, files, "m")
	require.ErrorContains(t, err, "strict_children row 1 references a missing parents row")
}

func TestApplyRejectsUnknownDialect(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)

	require.ErrorContains(t, migrate.Apply(ctx, db.SQL, "mysql"), `unsupported database dialect "mysql"`)
	_, _, _, err := migrate.Status(ctx, db.SQL, "mysql")
	require.ErrorContains(t, err, `unsupported database dialect "mysql"`)
}

// checkApplyMatchesSchema applies the migrations to the empty database db
// twice and checks the version, the caller's pool and the schema diff.
func checkApplyMatchesSchema(t *testing.T, db *database.DB) {
	t.Helper()
	ctx := context.Background()

	current, latest, dirty, err := migrate.Status(ctx, db.SQL, db.Dialect)
	require.NoError(t, err, "Status before Apply")
	require.Zero(t, current, "version of an empty database")
	require.NotZero(t, latest, "version of the newest embedded migration")
	require.False(t, dirty)

	require.NoError(t, migrate.Apply(ctx, db.SQL, db.Dialect), "first Apply")
	require.NoError(t, migrate.Apply(ctx, db.SQL, db.Dialect), "second Apply")

	current, latestAfter, dirty, err := migrate.Status(ctx, db.SQL, db.Dialect)
	require.NoError(t, err, "Status after Apply")
	require.Equal(t, latest, latestAfter)
	require.Equal(t, latest, current, "applied version after Apply")
	require.False(t, dirty)

	require.NoError(t, db.SQL.PingContext(ctx), "Apply closed the caller's pool")
	require.Zero(t, db.SQL.Stats().InUse, "Apply left a connection of the caller's pool in use")

	require.Empty(t, schemaDiff(t, db), "the migrated database differs from the ent schema; run go run ./migrate/gen")
}

// checkDriftDetected migrates db, changes it with tc.sql and checks that the
// schema diff reports the change.
func checkDriftDetected(t *testing.T, db *database.DB, tc driftCase) {
	t.Helper()
	ctx := context.Background()

	require.NoError(t, migrate.Apply(ctx, db.SQL, db.Dialect))
	require.Empty(t, schemaDiff(t, db), "diff before the change")

	_, err := db.SQL.ExecContext(ctx, tc.sql)
	require.NoError(t, err, "changing the migrated schema")
	require.Contains(t, schemaDiff(t, db), tc.want)
}

// schemaDiff returns the statements that would make db match the ent
// schema, dropped columns and indexes included, without running them.
func schemaDiff(t *testing.T, db *database.DB) string {
	t.Helper()
	var diff strings.Builder
	err := db.Client.Schema.WriteTo(context.Background(), &diff, schema.WithDropColumn(true), schema.WithDropIndex(true))
	require.NoError(t, err, "computing the schema diff")
	return diff.String()
}

func openSQLite(t *testing.T) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "breadbox.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// openPostgres opens a new database on the server named by
// BREADBOX_TEST_POSTGRES_URL, dropped when the test ends, or skips the test
// when the variable is unset.
func openPostgres(t *testing.T) *database.DB {
	t.Helper()
	serverURL := os.Getenv("BREADBOX_TEST_POSTGRES_URL")
	if serverURL == "" {
		t.Skip("BREADBOX_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()

	created, err := devdb.CreatePostgres(ctx, serverURL, "breadbox_migrate_test_")
	require.NoError(t, err)
	t.Cleanup(func() {
		if err := created.Drop(context.Background()); err != nil {
			t.Errorf("dropping the test database: %v", err)
		}
	})

	db, err := database.Open(ctx, created.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func readFirstUpFile(t *testing.T, folder string) string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(folder, "*.up.sql"))
	require.NoError(t, err)
	if len(names) == 0 {
		t.Fatalf("no migrations in %s", folder)
	}
	content, err := os.ReadFile(names[0])
	require.NoError(t, err)
	return string(content)
}
