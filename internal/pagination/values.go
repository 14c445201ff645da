package pagination

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// sortValues reads the values of the terms' columns from an entity, finding
// each struct field by its json tag (ent tags every field with its column
// name). A nil pointer is NULL and comes back as nil. Named string and
// integer types such as enums and money.Cents come back as their base type,
// because the driver must bind them like the stored column.
func sortValues(entity any, terms []Term) ([]any, error) {
	values := make([]any, len(terms))
	for i, term := range terms {
		value, err := columnValue(entity, term.Field.Column)
		if err != nil {
			return nil, err
		}
		values[i] = value
	}
	return values, nil
}

func rowID(entity any) (string, error) {
	value, err := columnValue(entity, idField.Column)
	if err != nil {
		return "", err
	}
	id, ok := value.(string)
	if !ok {
		return "", errNoID
	}
	return id, nil
}

func columnValue(entity any, column string) (any, error) {
	structValue := reflect.Indirect(reflect.ValueOf(entity))
	if structValue.Kind() != reflect.Struct {
		return nil, fmt.Errorf("reading column %s: %T is not an entity struct", column, entity)
	}
	structType := structValue.Type()
	for i := range structType.NumField() {
		name, _, _ := strings.Cut(structType.Field(i).Tag.Get("json"), ",")
		if name == column {
			return plainValue(structValue.Field(i))
		}
	}
	return nil, fmt.Errorf("reading column %s: %s has no such field", column, structType)
}

var timeType = reflect.TypeFor[time.Time]()

func plainValue(value reflect.Value) (any, error) {
	if value.Kind() == reflect.Pointer {
		if value.IsNil() {
			return nil, nil
		}
		value = value.Elem()
	}
	switch {
	case value.Type() == timeType:
		return value.Interface().(time.Time).UTC(), nil
	case value.Kind() == reflect.String:
		return value.String(), nil
	case value.CanInt():
		return value.Int(), nil
	case value.Kind() == reflect.Bool:
		return value.Bool(), nil
	case value.Kind() == reflect.Float64 || value.Kind() == reflect.Float32:
		return value.Float(), nil
	}
	return nil, fmt.Errorf("a %s field cannot be a sort field", value.Type())
}
