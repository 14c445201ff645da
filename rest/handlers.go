package rest

import (
	"net/http"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/pagination"
)

// client returns the ent client of the request through the resolver layer.
func (a *api) client(req *request) *ent.Client {
	return a.resolver.EntClient(req.ctx())
}

// getNode loads the record named by the {id} path parameter through the node
// resolver. A record of another type, of another org or missing is not found.
func getNode[T ent.Noder](a *api, req *request, prefix string) (T, error) {
	var zero T
	recordID, err := req.pathID(prefix)
	if err != nil {
		return zero, err
	}
	node, err := a.resolver.Query().Node(req.ctx(), recordID)
	if err != nil {
		return zero, err
	}
	typed, ok := node.(T)
	if !ok {
		return zero, apierr.NotFoundf("no record has the ID %q", recordID)
	}
	return typed, nil
}

// listOf renders a page of entities as a list result.
func listOf[T any, J any](page pagination.Result[T], render func(T) J) result {
	data := make([]J, len(page.Items))
	for i, item := range page.Items {
		data[i] = render(item)
	}
	return result{status: http.StatusOK, data: data, list: true, hasMore: page.HasMore, nextCursor: page.NextCursor}
}

// object parses the request body as a JSON object for reading fields.
func (r *request) object() (*body, error) {
	return parseBody(r.body, r.Method == http.MethodPatch)
}

// readOnly marks fields that responses carry but requests cannot set, so
// sending one back names the problem instead of calling it unknown.
func (b *body) readOnly(names ...string) {
	b.reject("is read-only and cannot be set", names...)
}

// reject reports each of the named fields that is present with message.
func (b *body) reject(message string, names ...string) {
	for _, name := range names {
		if _, present := b.fields[name]; present {
			b.read[name] = true
			b.fail(name, "%s", message)
		}
	}
}
