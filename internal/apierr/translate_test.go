package apierr

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
)

func TestPostgresErrorsBecomeAPIErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		sqlState string
		code     Code
	}{
		{"40P01", Unavailable},     // deadlock: retry
		{"40001", Unavailable},     // serialization failure: retry
		{"22021", ValidationError}, // NUL in text
		{"22P05", ValidationError}, // \u0000 in jsonb
		{"53100", InternalError},   // disk full: the server's fault
	}
	for _, tc := range cases {
		wrapped := fmt.Errorf("committing the transaction: %w", &pgconn.PgError{Code: tc.sqlState})
		require.Equal(t, tc.code, From(wrapped).Code, "SQLSTATE %s", tc.sqlState)
	}
}
