//go:build ignore

// Command entc generates the ent client and the GraphQL schema of the ent
// model. It runs from the module root through go generate, because entgql
// resolves gqlgen.yml and the schema path from there.
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	extension, err := entgql.NewExtension(
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/ent.graphqls"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
	)
	if err != nil {
		log.Fatalf("creating the entgql extension: %v", err)
	}

	config := &gen.Config{
		Target:  "ent",
		Package: "github.com/breadbox/breadbox/ent",
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureIntercept,
			gen.FeatureUpsert,
			gen.FeatureVersionedMigration,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
		},
	}
	if err := entc.Generate("./ent/schema", config, entc.Extensions(extension)); err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}
