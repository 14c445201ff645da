package schema

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
)

// IDMixin gives an entity a prefixed, k-sortable string ID such as acc_01JD….
type IDMixin struct {
	mixin.Schema
	Prefix string
}

// Fields of the IDMixin.
func (m IDMixin) Fields() []ent.Field {
	prefix := m.Prefix
	return []ent.Field{
		field.String("id").
			Immutable().
			NotEmpty().
			MaxLen(64).
			DefaultFunc(func() string { return id.New(prefix) }),
	}
}

// TimeMixin adds createdAt and updatedAt, stored in UTC with millisecond
// precision so a value read back equals the value written on every database.
type TimeMixin struct{ mixin.Schema }

// Now returns the current time as every timestamp column stores it.
func Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Immutable().
			Default(Now).
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").
			Default(Now).
			UpdateDefault(Now).
			Annotations(entgql.OrderField("UPDATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Hooks of the TimeMixin.
func (TimeMixin) Hooks() []ent.Hook {
	return []ent.Hook{rules.KeepUpdatedAtOnNoop()}
}

// Indexes of the TimeMixin serve the default sort and incremental syncs.
func (TimeMixin) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("created_at"),
		index.Fields("updated_at"),
	}
}

// TenantMixin ties a row to the org that owns it. The org is stamped on create
// from the caller and can never change; the Guard names the scopes that reading
// and writing the entity type need.
type TenantMixin struct {
	mixin.Schema
	Guard tenant.Guard
}

// Policy of the TenantMixin: the caller's org filters every query and
// mutation, and the Guard's scopes are required.
func (m TenantMixin) Policy() ent.Policy {
	return tenant.Policy(m.Guard)
}

// Hooks of the TenantMixin run on every tenant-owned entity.
func (TenantMixin) Hooks() []ent.Hook {
	return []ent.Hook{
		rules.Sanitize(),
		tenant.StampOrg(),
		tenant.CheckReferences(),
	}
}

// Fields of the TenantMixin.
func (TenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("org_id").
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip()),
	}
}

// Edges of the TenantMixin.
func (TenantMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("org", Org.Type).
			Field("org_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// dateField is an optional calendar date without a time, stored as YYYY-MM-DD
// so it sorts and compares the same way on every database.
func dateField(name string, annotations ...schema.Annotation) ent.Field {
	return field.String(name).
		Optional().
		Nillable().
		Validate(validateDate).
		Annotations(append([]schema.Annotation{entgql.Type("Date")}, annotations...)...)
}

func validateDate(value string) error {
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		return fmt.Errorf("must be a date in the form YYYY-MM-DD, got %q", value)
	}
	return nil
}

// nameField is a required single-line name of at most 255 characters.
func nameField(name string, annotations ...schema.Annotation) ent.Field {
	return field.String(name).NotEmpty().MaxRuneLen(255).Validate(rejectBlank).Annotations(annotations...)
}

// textField is an optional single-line text of at most 255 characters.
func textField(name string, annotations ...schema.Annotation) ent.Field {
	return field.String(name).Optional().Nillable().MaxRuneLen(255).Validate(rejectBlank).Annotations(annotations...)
}

// longTextField is an optional free text of at most 65,535 characters.
func longTextField(name string, annotations ...schema.Annotation) ent.Field {
	return field.Text(name).Optional().Nillable().MaxRuneLen(65535).Annotations(annotations...)
}

// webAddressField is an optional link of at most 255 characters that a
// dashboard may render, so it takes http and https addresses only.
func webAddressField(name string, annotations ...schema.Annotation) ent.Field {
	return field.String(name).Optional().Nillable().MaxRuneLen(255).Validate(validateWebAddress).Annotations(annotations...)
}

// rejectBlank rejects a value of only whitespace, as the REST layer does,
// so a GraphQL write cannot store a name that looks empty. rules.Sanitize
// rejects NUL characters in every text field.
func rejectBlank(value string) error {
	if strings.TrimSpace(value) == "" {
		return errors.New("must not be blank")
	}
	return nil
}

// validateWebAddress accepts an http or https URL, or a host with an
// optional port and path ("acme.example:8443/portal", "10.0.0.5:8080").
// Any other scheme, such as javascript: or data:, is rejected, because a
// dashboard that renders the value as a link would run or open it, and so
// is a user name in the address (https://acme.example@elsewhere.example).
func validateWebAddress(value string) error {
	trimmed := strings.TrimSpace(value)
	if parsed, err := url.Parse(trimmed); err == nil && (parsed.Scheme == "http" || parsed.Scheme == "https") && parsed.User == nil && validHostPort(parsed.Host) {
		return nil
	}
	// Without a scheme the value is a host: read it as one. A scheme that
	// runs code can look like a host and port (javascript:1/…), so those
	// names are refused outright.
	scheme, _, _ := strings.Cut(strings.ToLower(trimmed), ":")
	hasScheme := strings.Contains(trimmed, "://") || scheme == "http" || scheme == "https" || slices.Contains(scriptSchemes, scheme)
	if hostForm, err := url.Parse("http://" + trimmed); err == nil && !hasScheme && hostForm.User == nil && validHostPort(hostForm.Host) {
		return nil
	}
	return fmt.Errorf("must be a web address such as https://acme.example or acme.example, got %q", value)
}

// scriptSchemes are URL schemes that a browser runs or opens in place.
var scriptSchemes = []string{"javascript", "vbscript", "data", "file", "blob", "about", "filesystem"}

// validHostPort accepts a host with an optional port from 1 to 65535. The
// host is an IP address or a DNS name whose dot-separated labels are
// letters, digits and inner hyphens.
func validHostPort(hostPort string) bool {
	host, port := hostPort, ""
	if strings.Contains(hostPort, ":") && !strings.HasSuffix(hostPort, "]") {
		var err error
		if host, port, err = net.SplitHostPort(hostPort); err != nil {
			return false
		}
		if number, err := strconv.Atoi(port); err != nil || number < 1 || number > 65535 {
			return false
		}
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if net.ParseIP(host) != nil {
		return true
	}
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	for _, label := range labels {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}
