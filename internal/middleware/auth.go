package middleware

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// ErrorWriter writes an API error in the format of one transport.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err *apierr.Error)

// AddressLimiter counts requests without a valid key against their client
// address; it returns an error once the address is over its limit.
type AddressLimiter interface {
	CheckAddress(r *http.Request, header http.Header) *apierr.Error
}

// Authenticate requires a valid bearer key and puts its principal in the
// request's context; requests without one get 401 unauthorized through
// writeError.
func Authenticate(authenticator *auth.Authenticator, writeError ErrorWriter) func(http.Handler) http.Handler {
	return AuthenticateWithLimit(authenticator, nil, writeError)
}

// AuthenticateWithLimit is Authenticate with rejected requests counted against
// their client address, so a client guessing keys gets 429 rate_limited.
func AuthenticateWithLimit(authenticator *auth.Authenticator, limiter AddressLimiter, writeError ErrorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token := auth.BearerToken(r.Header.Get("Authorization"))
			principal, err := authenticator.Authenticate(r.Context(), token)
			if err != nil {
				if !errors.Is(err, auth.ErrInvalidKey) {
					slog.ErrorContext(r.Context(), "authenticating a request failed",
						"request_id", RequestIDFromContext(r.Context()), "error", err)
					writeError(w, r, apierr.New(apierr.Unavailable, "the API key could not be checked; retry shortly"))
					return
				}
				if limiter != nil {
					if limited := limiter.CheckAddress(r, w.Header()); limited != nil {
						writeError(w, r, limited)
						return
					}
				}
				writeError(w, r, apierr.New(apierr.Unauthorized, "%s", auth.ErrInvalidKey.Error()))
				return
			}

			info := Info(r.Context())
			info.OrgID, info.KeyID, info.Test = principal.OrgID, principal.KeyID, principal.Test
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), principal)))
		})
	}
}
