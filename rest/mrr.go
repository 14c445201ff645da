package rest

import (
	"github.com/breadbox/breadbox/internal/render"
)

// getMRR returns the org's MRR and ARR by service category, from the service
// lines of ACTIVE contracts, exact to the cent.
func (a *api) getMRR(req *request) (result, error) {
	summary, err := a.resolver.Query().MrrSummary(req.ctx())
	if err != nil {
		return result{}, err
	}
	return ok(render.MRRSummary(*summary)), nil
}
