package migrate

// ApplySQLiteFiles exposes applySQLite to the tests in package migrate_test,
// which apply migrations of their own instead of the embedded ones.
var ApplySQLiteFiles = applySQLite
