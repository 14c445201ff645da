package graph

import (
	"context"
	"slices"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/auth"
)

// updateAccount applies an UpdateAccountInput. The generated SetInput
// appends the replacement lists (tags) instead of appendTags, so the
// resolver applies the two append fields itself, after the rest of the
// input, to the list the input leaves: stored, replaced or cleared. The
// field validators of the schema then check the whole resulting list.
func updateAccount(ctx context.Context, client *ent.Client, id string, input ent.UpdateAccountInput) (*ent.Account, error) {
	appendTags, appendFrameworks := input.AppendTags, input.AppendComplianceFrameworks
	input.AppendTags, input.AppendComplianceFrameworks = nil, nil

	update := client.Account.UpdateOneID(id).SetInput(input)
	if appendTags == nil && appendFrameworks == nil {
		return update.Save(ctx)
	}

	// A key that may write accounts need not read them; the update itself
	// still runs with the key's permissions.
	current, err := client.Account.Get(auth.SystemContext(ctx, auth.FromContext(ctx).OrgID), id)
	if err != nil {
		return nil, err
	}
	tags := listAfter(current.Tags, input.Tags, input.ClearTags)
	frameworks := listAfter(current.ComplianceFrameworks, input.ComplianceFrameworks, input.ClearComplianceFrameworks)
	if appendTags != nil {
		update.SetTags(append(tags, appendTags...))
	}
	if appendFrameworks != nil {
		update.SetComplianceFrameworks(append(frameworks, appendFrameworks...))
	}
	return update.Save(ctx)
}

// listAfter is a list field after an input that may replace or clear it.
func listAfter(stored, replacement []string, clear bool) []string {
	switch {
	case replacement != nil:
		return slices.Clone(replacement)
	case clear:
		return nil
	}
	return slices.Clone(stored)
}
