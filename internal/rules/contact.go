package rules

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/dealcontact"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/internal/apierr"
)

// NormalizeEmail validates an email address and returns the form used to
// compare addresses: trimmed and in lower case.
func NormalizeEmail(email string) (string, error) {
	trimmed := strings.TrimSpace(email)
	parsed, err := mail.ParseAddress(trimmed)
	if err != nil || parsed.Address != trimmed || !strings.Contains(trimmed, ".") {
		return "", fmt.Errorf("must be an email address such as name@example.com, got %q", email)
	}
	return strings.ToLower(trimmed), nil
}

// ContactEmail keeps a contact's emailKey, the lower-case address that makes
// emails unique per org regardless of case.
func ContactEmail() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.ContactFunc(func(ctx context.Context, m *ent.ContactMutation) (entgo.Value, error) {
			if m.EmailCleared() {
				m.ClearEmailKey()
			}
			if email, ok := m.Email(); ok {
				key, err := NormalizeEmail(email)
				if err != nil {
					return nil, apierr.Invalid("email", "%s", err.Error())
				}
				m.SetEmail(strings.TrimSpace(email))
				m.SetEmailKey(key)
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne|entgo.OpUpdate)
}

// UserEmail stores a user's email in lower case, so it is unique per org
// regardless of case.
func UserEmail() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.UserFunc(func(ctx context.Context, m *ent.UserMutation) (entgo.Value, error) {
			if email, ok := m.Email(); ok {
				key, err := NormalizeEmail(email)
				if err != nil {
					return nil, apierr.Invalid("email", "%s", err.Error())
				}
				m.SetEmail(key)
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne|entgo.OpUpdate)
}

// SinglePrimaryAccountContact keeps at most one primary contact per account:
// marking a link primary clears the flag on the account's other links.
func SinglePrimaryAccountContact() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.AccountContactFunc(func(ctx context.Context, m *ent.AccountContactMutation) (entgo.Value, error) {
			if primary, ok := m.IsPrimary(); !ok || !primary {
				return next.Mutate(ctx, m)
			}
			accountID, ok := m.AccountID()
			if !ok {
				old, err := m.OldAccountID(ctx)
				if err != nil {
					return nil, fmt.Errorf("reading the link's account: %w", err)
				}
				accountID = old
			}

			clear := m.Client().AccountContact.Update().
				Where(accountcontact.AccountID(accountID), accountcontact.IsPrimary(true))
			if linkID, exists := m.ID(); exists {
				clear.Where(accountcontact.IDNEQ(linkID))
			}
			if _, err := clear.SetIsPrimary(false).Save(ctx); err != nil {
				return nil, fmt.Errorf("clearing the account's other primary contact: %w", err)
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne)
}

// SinglePrimaryDealContact keeps at most one primary contact per deal.
func SinglePrimaryDealContact() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.DealContactFunc(func(ctx context.Context, m *ent.DealContactMutation) (entgo.Value, error) {
			if primary, ok := m.IsPrimary(); !ok || !primary {
				return next.Mutate(ctx, m)
			}
			dealID, ok := m.DealID()
			if !ok {
				old, err := m.OldDealID(ctx)
				if err != nil {
					return nil, fmt.Errorf("reading the link's deal: %w", err)
				}
				dealID = old
			}

			clear := m.Client().DealContact.Update().
				Where(dealcontact.DealID(dealID), dealcontact.IsPrimary(true))
			if linkID, exists := m.ID(); exists {
				clear.Where(dealcontact.IDNEQ(linkID))
			}
			if _, err := clear.SetIsPrimary(false).Save(ctx); err != nil {
				return nil, fmt.Errorf("clearing the deal's other primary contact: %w", err)
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne)
}
