package rest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/money"
)

// The bulk endpoints take {"<list>": [item, …]} with at most bulk.MaxItems
// items and respond with 200 and the bulk result. The body is read as
// strictly as every other body. A repeated key or data after the JSON value
// is invalid_json. An unknown field, a missing or null list, an item that is
// not an object and a field of the wrong type are validation errors with
// paths such as ["devices", 3, "hostname"]. The algorithms, the checks
// against the database and the single transaction live in internal/bulk, and
// their writes join the request's transaction.

func (a *api) bulkAccounts(req *request) (result, error) {
	items, err := decodeBulk[bulk.AccountItem](req, "accounts")
	if err != nil {
		return result{}, err
	}
	written, err := bulk.UpsertAccounts(req.ctx(), a.client(req), items)
	if err != nil {
		return result{}, err
	}
	return ok(written), nil
}

func (a *api) bulkContacts(req *request) (result, error) {
	items, err := decodeBulk[bulk.ContactItem](req, "contacts")
	if err != nil {
		return result{}, err
	}
	written, err := bulk.UpsertContacts(req.ctx(), a.client(req), items)
	if err != nil {
		return result{}, err
	}
	return ok(written), nil
}

func (a *api) bulkDevices(req *request) (result, error) {
	items, err := decodeBulk[bulk.DeviceItem](req, "devices")
	if err != nil {
		return result{}, err
	}
	written, err := bulk.UpsertDevices(req.ctx(), a.client(req), items)
	if err != nil {
		return result{}, err
	}
	return ok(written), nil
}

func (a *api) bulkDeals(req *request) (result, error) {
	items, err := decodeBulk[bulk.DealItem](req, "deals")
	if err != nil {
		return result{}, err
	}
	written, err := bulk.CreateDeals(req.ctx(), a.client(req), items)
	if err != nil {
		return result{}, err
	}
	return ok(written), nil
}

// bulkItem is an item type of internal/bulk, a struct of bulk.Optional fields
// that checks itself without the database.
type bulkItem interface {
	Validate() []apierr.Detail
}

// decodeBulk reads the body {"<list>": [item, …]} into items of type T.
//
// When the body has problems, the error lists them together with the
// problems that T.Validate finds in the fields that did decode, so a client
// sees every local problem at once. Problems that need the database
// (references, keys repeated in the batch) are reported by internal/bulk
// once the body decodes.
func decodeBulk[T bulkItem](req *request, list string) ([]T, error) {
	b, err := req.object()
	if err != nil {
		return nil, err
	}

	var bodies []*body
	b.read[list] = true
	data, present := b.fields[list]
	switch {
	case !present:
		b.fail(list, "is required; send the items as {%q: [ … ]}", list)
	case strings.TrimSpace(string(data)) == "null":
		b.fail(list, "must be a list of objects, not null")
	default:
		bodies, _ = objectList(b, list, bulk.MaxItems)
	}

	items := make([]T, len(bodies))
	failedFields := make([][]any, len(bodies))
	for i, item := range bodies {
		if item == nil {
			continue
		}
		for _, name := range decodeObject(item.fields, reflect.ValueOf(&items[i]).Elem(), item.path, item.details) {
			failedFields[i] = append(failedFields[i], name)
		}
	}

	b.reportUnknown()
	if len(*b.details) == 0 {
		return items, nil
	}
	for i, item := range bodies {
		if item == nil {
			continue
		}
		for _, detail := range items[i].Validate() {
			if len(detail.Path) > 0 && slices.Contains(failedFields[i], detail.Path[0]) {
				continue
			}
			path := append(append([]any{}, item.path...), detail.Path...)
			*b.details = append(*b.details, apierr.Detail{Path: path, Message: detail.Message})
		}
	}
	return nil, apierr.Validation(*b.details...)
}

// decodeObject decodes the fields of one JSON object into target, a struct
// whose fields are bulk.Optional values with json tags. Unknown fields and
// values of the wrong type are reported under path. It returns the names of
// the known fields that failed to decode, which are left absent.
func decodeObject(fields map[string]json.RawMessage, target reflect.Value, path []any, details *[]apierr.Detail) []string {
	index := jsonFields(target.Type())
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)

	var failed []string
	for _, name := range names {
		fieldPath := append(append([]any{}, path...), name)
		position, known := index[name]
		if !known {
			*details = append(*details, apierr.Detail{Path: fieldPath, Message: "is not a known field; field names are case-sensitive"})
			continue
		}
		if !decodeField(fields[name], target.Field(position), fieldPath, details) {
			failed = append(failed, name)
		}
	}
	return failed
}

// decodeField decodes one value into a field and reports whether it decoded
// without problems. A bulk.Optional of objects or of a list of objects, such
// as a contact's accounts, is decoded field by field so that problems inside
// it get full paths like ["contacts", 2, "accounts", 0, "role"].
func decodeField(data json.RawMessage, field reflect.Value, path []any, details *[]apierr.Detail) bool {
	if isOptional(field.Type()) {
		value := field.FieldByName("Value")
		if objects, isList := nestedObjects(value.Type()); objects {
			return decodeNested(data, field, value, isList, path, details)
		}
	}

	unmarshaler, isUnmarshaler := field.Addr().Interface().(json.Unmarshaler)
	var err error
	if isUnmarshaler {
		err = unmarshaler.UnmarshalJSON(data)
	} else {
		err = json.Unmarshal(data, field.Addr().Interface())
	}
	if err != nil {
		field.Set(reflect.Zero(field.Type()))
		*details = append(*details, apierr.Detail{Path: path, Message: typeProblem(field.Type(), err)})
		return false
	}
	return true
}

// decodeNested decodes an object or a list of objects into the Value of a
// bulk.Optional field.
func decodeNested(data json.RawMessage, optional, value reflect.Value, isList bool, path []any, details *[]apierr.Detail) bool {
	optional.FieldByName("Present").SetBool(true)
	if strings.TrimSpace(string(data)) == "null" {
		optional.FieldByName("Null").SetBool(true)
		return true
	}
	fail := func(at []any, message string) bool {
		*details = append(*details, apierr.Detail{Path: at, Message: message})
		optional.Set(reflect.Zero(optional.Type()))
		return false
	}

	if !isList {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
			return fail(path, "must be an object")
		}
		return len(decodeObject(fields, value, path, details)) == 0
	}

	var elements []json.RawMessage
	if err := json.Unmarshal(data, &elements); err != nil || elements == nil {
		return fail(path, "must be a list of objects")
	}
	list := reflect.MakeSlice(value.Type(), len(elements), len(elements))
	decoded := true
	for i, element := range elements {
		elementPath := append(append([]any{}, path...), i)
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(element, &fields); err != nil || fields == nil {
			*details = append(*details, apierr.Detail{Path: elementPath, Message: "must be an object"})
			decoded = false
			continue
		}
		if len(decodeObject(fields, list.Index(i), elementPath, details)) > 0 {
			decoded = false
		}
	}
	value.Set(list)
	return decoded
}

var (
	optionalPackage = reflect.TypeFor[bulk.Optional[bool]]().PkgPath()
	timeValueType   = reflect.TypeFor[time.Time]()
	centsValueType  = reflect.TypeFor[money.Cents]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// isOptional reports whether t is an instance of bulk.Optional.
func isOptional(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == optionalPackage && strings.HasPrefix(t.Name(), "Optional[")
}

// nestedObjects reports whether t is a struct that is decoded field by field
// (one without its own UnmarshalJSON), or a slice of such structs.
func nestedObjects(t reflect.Type) (objects, isList bool) {
	isList = t.Kind() == reflect.Slice
	if isList {
		t = t.Elem()
	}
	objects = t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(unmarshalerType)
	return objects, isList
}

// typeProblem describes a value that did not decode into a field of type t.
func typeProblem(t reflect.Type, err error) string {
	if value, found := t.FieldByName("Value"); found && isOptional(t) {
		t = value.Type
	}
	switch {
	case t == centsValueType:
		// money's errors read as advice: "must be a number", "must have at
		// most two decimal places".
		return err.Error()
	case t == timeValueType:
		return "must be an RFC 3339 time such as 2026-05-06T18:42:11.443Z"
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "must be a whole number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "must be a list of strings"
		}
		return "must be a list"
	}
	return "has a value of the wrong type"
}

// jsonFieldCache maps an item type to its fields by JSON name.
var jsonFieldCache sync.Map

// jsonFields returns the index of each field of struct type t by the name in
// its json tag. Fields tagged "-" or without a tag are not part of the JSON.
func jsonFields(t reflect.Type) map[string]int {
	if cached, found := jsonFieldCache.Load(t); found {
		return cached.(map[string]int)
	}
	index := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" && t.Field(i).IsExported() {
			index[name] = i
		}
	}
	jsonFieldCache.Store(t, index)
	return index
}
