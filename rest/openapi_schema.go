package rest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/render"
)

// Schema is a JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as the
// OpenAPI document, the Postman collection and the HTML reference write it.
type Schema struct {
	Ref         string `json:"$ref,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Type is a type name, or a list of them such as ["string", "null"].
	Type       any      `json:"type,omitempty"`
	Format     string   `json:"format,omitempty"`
	Enum       []any    `json:"enum,omitempty"`
	Const      any      `json:"const,omitempty"`
	Pattern    string   `json:"pattern,omitempty"`
	MinLength  *int     `json:"minLength,omitempty"`
	MaxLength  *int     `json:"maxLength,omitempty"`
	Minimum    *float64 `json:"minimum,omitempty"`
	Maximum    *float64 `json:"maximum,omitempty"`
	MultipleOf float64  `json:"multipleOf,omitempty"`

	Items    *Schema `json:"items,omitempty"`
	MaxItems *int    `json:"maxItems,omitempty"`

	Properties map[string]*Schema `json:"properties,omitempty"`
	Required   []string           `json:"required,omitempty"`
	// AdditionalProperties is false for closed objects or a schema for maps.
	AdditionalProperties any `json:"additionalProperties,omitempty"`

	AllOf []*Schema `json:"allOf,omitempty"`
	AnyOf []*Schema `json:"anyOf,omitempty"`
	OneOf []*Schema `json:"oneOf,omitempty"`

	ReadOnly  bool  `json:"readOnly,omitempty"`
	Examples  []any `json:"examples,omitempty"`
	Extension bool  `json:"x-breadbox-extension,omitempty"`
}

// ref returns a schema that points at a component schema.
func ref(name string) *Schema { return &Schema{Ref: "#/components/schemas/" + name} }

func intPointer(value int) *int           { return &value }
func floatPointer(value float64) *float64 { return &value }
func typeOf(schema *Schema) []string      { return typeNames(schema.Type) }
func stringSchema() *Schema               { return &Schema{Type: "string"} }
func enumSchema[E ~string](values []E) *Schema {
	schema := &Schema{Type: "string"}
	for _, value := range values {
		schema.Enum = append(schema.Enum, string(value))
	}
	return schema
}

func typeNames(value any) []string {
	switch typed := value.(type) {
	case string:
		return []string{typed}
	case []string:
		return typed
	}
	return nil
}

// nullable returns a copy of schema that also allows null. A reference is
// wrapped in anyOf, because a $ref carries no type of its own.
func nullable(schema *Schema) *Schema {
	if schema.Ref != "" || schema.AnyOf != nil || schema.OneOf != nil {
		return &Schema{AnyOf: []*Schema{schema, {Type: "null"}}}
	}
	copied := *schema
	names := typeOf(schema)
	if !slices.Contains(names, "null") {
		copied.Type = append(slices.Clone(names), "null")
	}
	if copied.Enum != nil && !slices.Contains(copied.Enum, nil) {
		copied.Enum = append(slices.Clone(copied.Enum), nil)
	}
	return &copied
}

// The formats of the API's scalar values.
var (
	timeType  = reflect.TypeFor[render.Time]()
	moneyType = reflect.TypeFor[money.Cents]()
)

// dateTimeSchema is an instant, written in UTC with three decimals.
func dateTimeSchema() *Schema {
	return &Schema{Type: "string", Format: "date-time", Examples: []any{"2026-05-06T18:42:11.443Z"}}
}

// dateSchema is a calendar date without a time.
func dateSchema() *Schema {
	return &Schema{Type: "string", Format: "date", Examples: []any{"2026-05-06"}}
}

// moneySchema is an amount in the org's currency unit with at most two
// decimals, sent and received as a JSON number.
func moneySchema() *Schema {
	return &Schema{Type: "number", MultipleOf: 0.01, Description: "An amount with at most two decimals."}
}

// idSchema is the ID of a record of the type whose ID prefix is given.
func idSchema(prefix string) *Schema {
	return &Schema{Type: "string", Pattern: "^" + prefix + "_[0-9A-Za-z]{1,60}$", Examples: []any{exampleID(prefix)}}
}

// schemaSet collects the component schemas of a document. Problems found
// while building them (an annotation naming no field, an unnamed nested type)
// are kept for a test to report instead of crashing the server.
type schemaSet struct {
	schemas  map[string]*Schema
	names    map[reflect.Type]string
	problems []string
}

func newSchemaSet() *schemaSet {
	return &schemaSet{schemas: map[string]*Schema{}, names: map[reflect.Type]string{}}
}

// add registers a hand-written component schema.
func (s *schemaSet) add(name string, schema *Schema) {
	if _, exists := s.schemas[name]; exists {
		s.problems = append(s.problems, fmt.Sprintf("schema %s is defined twice", name))
	}
	s.schemas[name] = schema
}

// fieldDocs annotates the reflected properties of a type by JSON name. Each
// annotation replaces the reflected schema's description, format, enum,
// pattern and bounds where it sets them; nullability always comes from the Go
// type.
type fieldDocs map[string]*Schema

// reflect registers the component schema of a render type under name. Every
// field is required, because the renderer writes every field, as null when
// it is unset, and no other property is allowed.
func (s *schemaSet) reflect(name string, sample any, description string, docs fieldDocs) {
	goType := reflect.TypeOf(sample)
	s.names[goType] = name
	schema := &Schema{Type: "object", Description: description, Properties: map[string]*Schema{}, AdditionalProperties: false}

	for field := range goType.Fields() {
		if !field.IsExported() {
			continue
		}
		jsonName, options, _ := strings.Cut(field.Tag.Get("json"), ",")
		if jsonName == "-" {
			continue
		}
		if jsonName == "" {
			jsonName = field.Name
		}
		property := s.schemaOfType(name+"."+jsonName, field.Type)
		if annotation, ok := docs[jsonName]; ok {
			property = annotate(property, annotation)
		}
		schema.Properties[jsonName] = property
		if !strings.Contains(options, "omitempty") {
			schema.Required = append(schema.Required, jsonName)
		}
	}
	for jsonName := range docs {
		if _, ok := schema.Properties[jsonName]; !ok {
			s.problems = append(s.problems, fmt.Sprintf("schema %s annotates %s, which %s has no field for", name, jsonName, goType))
		}
	}
	s.add(name, schema)
}

// schemaOfType maps a Go type to its JSON Schema; at locates it in problems.
func (s *schemaSet) schemaOfType(at string, goType reflect.Type) *Schema {
	switch {
	case goType == timeType:
		return dateTimeSchema()
	case goType == moneyType:
		return moneySchema()
	case goType.Kind() == reflect.Pointer:
		return nullable(s.schemaOfType(at, goType.Elem()))
	}
	if name, ok := s.names[goType]; ok {
		return ref(name)
	}

	switch goType.Kind() {
	case reflect.String:
		return stringSchema()
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return &Schema{Type: "integer"}
	case reflect.Float32, reflect.Float64:
		return &Schema{Type: "number"}
	case reflect.Slice, reflect.Array:
		// The renderer writes [] in place of nil, so lists are never null.
		return &Schema{Type: "array", Items: s.schemaOfType(at+"[]", goType.Elem())}
	case reflect.Map:
		return &Schema{Type: "object", AdditionalProperties: s.schemaOfType(at+"{}", goType.Elem())}
	case reflect.Interface:
		return &Schema{}
	}
	s.problems = append(s.problems, fmt.Sprintf("%s has the type %s, which has no schema; register it before the types that use it", at, goType))
	return &Schema{}
}

// annotate returns schema with the values that annotation sets.
func annotate(schema *Schema, annotation *Schema) *Schema {
	nullableTarget := schema.AnyOf != nil || slices.Contains(typeOf(schema), "null")
	base := schema
	if schema.AnyOf != nil {
		base = schema.AnyOf[0]
	}

	copied := *base
	if annotation.Description != "" {
		copied.Description = annotation.Description
	}
	if annotation.Format != "" {
		copied.Format = annotation.Format
	}
	if annotation.Enum != nil {
		copied.Enum = annotation.Enum
	}
	if annotation.Pattern != "" {
		copied.Pattern = annotation.Pattern
	}
	if annotation.Minimum != nil {
		copied.Minimum = annotation.Minimum
	}
	if annotation.Maximum != nil {
		copied.Maximum = annotation.Maximum
	}
	if annotation.MaxLength != nil {
		copied.MaxLength = annotation.MaxLength
	}
	if annotation.MultipleOf != 0 {
		copied.MultipleOf = annotation.MultipleOf
	}
	if annotation.Items != nil && copied.Items != nil {
		copied.Items = annotate(copied.Items, annotation.Items)
	}
	if annotation.Examples != nil {
		copied.Examples = annotation.Examples
	}
	copied.Extension = copied.Extension || annotation.Extension

	if nullableTarget {
		return nullable(&copied)
	}
	return &copied
}
