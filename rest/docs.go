package rest

import (
	"bytes"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
)

// DocsPath is the path of the HTML reference, outside /api/v1. Every error's
// docsUrl points at its #errors section.
const DocsPath = "/docs/api"

// DocsHandler returns the handler of the HTML reference: the operation
// table rendered as a page, with the same content as the OpenAPI document.
func DocsHandler(publicURL string, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	var (
		once    sync.Once
		page    []byte
		pageErr error
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { page, pageErr = renderDocs(BuildOpenAPI(publicURL, Operations())) })
		if pageErr != nil {
			logger.ErrorContext(r.Context(), "rendering the API reference failed", slog.Any("error", pageErr))
			http.Error(w, "the API reference could not be rendered", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(page)
	})
}

// docsOperation is one operation as the page shows it.
type docsOperation struct {
	Anchor      string
	Method      string
	Path        string
	Summary     string
	Description string
	Scope       string
	Extension   bool
	Parameters  []docsField
	Body        string
	BodyFields  []docsField
	Status      string
	Data        string
	Errors      []string
}

// docsField is a parameter or a property of a schema.
type docsField struct {
	Name        string
	In          string
	Type        string
	Required    bool
	Description string
}

type docsTag struct {
	Name        string
	Description string
	Operations  []docsOperation
}

type docsSchema struct {
	Name        string
	Description string
	Fields      []docsField
}

type docsCode struct {
	Code      string
	Status    int
	Meaning   string
	Extension bool
}

type docsPage struct {
	Title      string
	Intro      []string
	BaseURL    string
	Tags       []docsTag
	Schemas    []docsSchema
	Codes      []docsCode
	Events     []docsField
	OpenAPIURL string
	PostmanURL string
}

func renderDocs(document *OpenAPIDocument) ([]byte, error) {
	page := docsPage{
		Title:      document.Info.Title,
		Intro:      strings.Split(document.Info.Description, "\n\n"),
		BaseURL:    document.Servers[0].URL,
		OpenAPIURL: document.Servers[0].URL + "/openapi.json",
		PostmanURL: document.Servers[0].URL + "/postman.json",
	}
	for _, tag := range document.Tags {
		docsTag := docsTag{Name: tag.Name, Description: tag.Description}
		for _, path := range sortedKeys(document.Paths) {
			for _, method := range []string{"get", "post", "patch", "put", "delete"} {
				op, ok := document.Paths[path][method]
				if !ok || op.Tags[0] != tag.Name {
					continue
				}
				docsTag.Operations = append(docsTag.Operations, docsOperationOf(document, strings.ToUpper(method), path, op))
			}
		}
		page.Tags = append(page.Tags, docsTag)
	}
	for _, name := range sortedKeys(document.Components.Schemas) {
		schema := document.Components.Schemas[name]
		page.Schemas = append(page.Schemas, docsSchema{Name: name, Description: schema.Description, Fields: fieldsOf(schema)})
	}
	for _, doc := range errorCodeDocs {
		page.Codes = append(page.Codes, docsCode{Code: string(doc.Code), Status: doc.Code.Status(), Meaning: doc.Meaning, Extension: doc.Extension})
	}
	for _, event := range sortedKeys(document.Webhooks) {
		post := document.Webhooks[event]["post"]
		description := describeType(webhookData(post))
		if post.Extension {
			description += " (extension)"
		}
		page.Events = append(page.Events, docsField{Name: event, Type: description})
	}

	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("executing the reference template: %w", err)
	}
	return buf.Bytes(), nil
}

func docsOperationOf(document *OpenAPIDocument, method, path string, op *OpenAPIOperation) docsOperation {
	shown := docsOperation{
		Anchor: op.OperationID, Method: method, Path: path, Summary: op.Summary,
		Description: op.Description, Scope: op.RequiredScope, Extension: op.Extension,
	}
	for _, param := range op.Parameters {
		if param.Ref != "" {
			name := strings.TrimPrefix(param.Ref, "#/components/parameters/")
			param = document.Components.Parameters[name]
		}
		shown.Parameters = append(shown.Parameters, docsField{
			Name: param.Name, In: param.In, Type: describeType(param.Schema), Required: param.Required, Description: param.Description,
		})
	}
	if op.RequestBody != nil {
		schema := op.RequestBody.Content[jsonContent].Schema
		shown.Body = describeType(schema)
		if schema.Ref != "" {
			shown.BodyFields = fieldsOf(document.Components.Schemas[strings.TrimPrefix(schema.Ref, "#/components/schemas/")])
		}
	}
	for _, status := range sortedKeys(op.Responses) {
		response := op.Responses[status]
		if strings.HasPrefix(status, "2") {
			shown.Status = status
			if media, ok := response.Content[jsonContent]; ok {
				if data, ok := media.Schema.Properties["data"]; ok {
					shown.Data = describeType(data)
				} else {
					shown.Data = describeType(media.Schema)
				}
			}
			continue
		}
		shown.Errors = append(shown.Errors, status+" "+response.Description)
	}
	return shown
}

// fieldsOf lists the properties of an object schema, required ones first.
func fieldsOf(schema *Schema) []docsField {
	var fields []docsField
	for _, name := range sortedKeys(schema.Properties) {
		property := schema.Properties[name]
		description := property.Description
		if property.AnyOf != nil && description == "" {
			description = property.AnyOf[0].Description
		}
		fields = append(fields, docsField{
			Name: name, Type: describeType(property), Required: slices.Contains(schema.Required, name), Description: description,
		})
	}
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Required && !fields[j].Required })
	return fields
}

// describeType returns a short form of a schema, such as "string (date)",
// "Account or null" or "one of ACTIVE, CHURNED".
func describeType(schema *Schema) string {
	if schema == nil {
		return "any"
	}
	switch {
	case schema.Ref != "":
		return strings.TrimPrefix(schema.Ref, "#/components/schemas/")
	case schema.AnyOf != nil || schema.OneOf != nil:
		var parts []string
		for _, part := range append(schema.AnyOf, schema.OneOf...) {
			parts = append(parts, describeType(part))
		}
		return strings.Join(parts, " or ")
	case schema.Const != nil:
		return fmt.Sprintf("%v", schema.Const)
	}

	var text string
	names := typeOf(schema)
	base := strings.Join(slices.DeleteFunc(slices.Clone(names), func(name string) bool { return name == "null" }), " or ")
	switch {
	case len(schema.Enum) > 0:
		values := make([]string, 0, len(schema.Enum))
		for _, value := range schema.Enum {
			if value != nil {
				values = append(values, fmt.Sprint(value))
			}
		}
		text = "one of " + strings.Join(values, ", ")
	case base == "array" && schema.Items != nil:
		text = "list of " + describeType(schema.Items)
	case base == "":
		text = "any"
	default:
		text = base
	}
	var notes []string
	if schema.Format != "" {
		notes = append(notes, schema.Format)
	}
	if schema.MultipleOf != 0 {
		notes = append(notes, fmt.Sprintf("multiple of %v", schema.MultipleOf))
	}
	if schema.MaxLength != nil {
		notes = append(notes, fmt.Sprintf("at most %d characters", *schema.MaxLength))
	}
	if schema.Minimum != nil && schema.Maximum != nil {
		notes = append(notes, fmt.Sprintf("%v to %v", *schema.Minimum, *schema.Maximum))
	}
	if schema.MaxItems != nil {
		notes = append(notes, fmt.Sprintf("at most %d items", *schema.MaxItems))
	}
	if len(notes) > 0 {
		text += " (" + strings.Join(notes, ", ") + ")"
	}
	if slices.Contains(names, "null") {
		text += " or null"
	}
	return text
}

func sortedKeys[V any](values map[string]V) []string {
	keys := make([]string, 0, len(values))
	for key := range values {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 0 auto; padding: 1rem 2rem; line-height: 1.5; color: #1d1d1f; }
code, .path { font-family: ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d0d0d5; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f6; }
td, p { white-space: pre-line; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 700; }
.extension { font-size: .75rem; background: #fff3cd; padding: 0 .3rem; border-radius: .2rem; }
section.operation { border-top: 1px solid #e0e0e5; padding-top: .5rem; }
nav li { display: inline; margin-right: 1rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>Base URL: <code>{{.BaseURL}}</code>. Machine-readable: <a href="{{.OpenAPIURL}}">OpenAPI 3.1</a>, <a href="{{.PostmanURL}}">Postman collection</a>.</p>
<nav><ul>{{range .Tags}}<li><a href="#tag-{{.Name}}">{{.Name}}</a></li>{{end}}<li><a href="#errors">errors</a></li><li><a href="#webhooks">webhooks</a></li><li><a href="#schemas">schemas</a></li></ul></nav>
{{range .Intro}}<p>{{.}}</p>
{{end}}
{{range .Tags}}
<h2 id="tag-{{.Name}}">{{.Name}}</h2>
<p>{{.Description}}</p>
{{range .Operations}}
<section class="operation" id="{{.Anchor}}">
<h3><span class="method">{{.Method}}</span> <span class="path">{{.Path}}</span>{{if .Extension}} <span class="extension">extension</span>{{end}}</h3>
<p>{{.Summary}}.{{if .Scope}} Scope: <code>{{.Scope}}</code>.{{end}}</p>
<p>{{.Description}}</p>
{{if .Parameters}}<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>
{{range .Parameters}}<tr><td><code>{{.Name}}</code>{{if .Required}} (required){{end}}</td><td>{{.In}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}
{{if .Body}}<p>Request body: <a href="#schema-{{.Body}}">{{.Body}}</a></p>
{{if .BodyFields}}<table><tr><th>field</th><th>type</th><th>description</th></tr>
{{range .BodyFields}}<tr><td><code>{{.Name}}</code>{{if .Required}} (required){{end}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}{{end}}
<p>Success: <code>{{.Status}}</code> with data <code>{{.Data}}</code>.</p>
<ul>{{range .Errors}}<li>{{.}}</li>{{end}}</ul>
</section>
{{end}}
{{end}}
<h2 id="errors">Errors</h2>
<p>Every error is a JSON envelope with <code>success: false</code> and <code>error</code>: <code>code</code>, <code>message</code>, <code>docsUrl</code> (this section) and <code>details</code>, a list of <code>{path, message}</code> where path is a list of field names and indexes.</p>
<table><tr><th>HTTP</th><th>code</th><th>meaning</th></tr>
{{range .Codes}}<tr id="error-{{.Code}}"><td>{{.Status}}</td><td><code>{{.Code}}</code>{{if .Extension}} <span class="extension">extension</span>{{end}}</td><td>{{.Meaning}}</td></tr>
{{end}}</table>
<h2 id="webhooks">Webhooks</h2>
<p>Each delivery is a POST of <code>{"id", "event", "timestamp", "orgId", "data"}</code> signed in the Breadbox-Signature header. The data of each event:</p>
<table><tr><th>event</th><th>data</th></tr>
{{range .Events}}<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td></tr>
{{end}}</table>
<h2 id="schemas">Schemas</h2>
{{range .Schemas}}
<h3 id="schema-{{.Name}}">{{.Name}}</h3>
<p>{{.Description}}</p>
{{if .Fields}}<table><tr><th>field</th><th>type</th><th>description</th></tr>
{{range .Fields}}<tr><td><code>{{.Name}}</code>{{if .Required}} (required){{end}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}
{{end}}
</body>
</html>
`))
