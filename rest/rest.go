// Package rest serves the public REST API at /api/v1: one operation table
// drives the routes, and thin handlers translate HTTP to calls of the GraphQL
// resolvers and their results to the response envelope.
package rest

import (
	"net/http"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
)

// Config holds what the REST API needs from the application.
type Config struct {
	Client        *ent.Client
	DB            *database.DB
	Authenticator *auth.Authenticator
	// PublicURL is the base of docsUrl links, such as https://app.example.com.
	PublicURL string
}

// New returns the handler of /api/v1; mount it with the prefix stripped.
func New(config Config) http.Handler {
	// TODO: replace with the operation table and its handlers.
	return http.NotFoundHandler()
}
