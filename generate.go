// Package breadbox is the module root. It holds only the go:generate
// directives that rebuild every generated file of the repository.
package breadbox

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate
//go:generate go run ./migrate/gen
