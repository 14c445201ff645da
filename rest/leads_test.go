package rest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// The ICP scores are computed by hand with the default targets: a target
// vertical 30, 10–250 employees 25, employees per IT staff member 0–20, a
// compliance-driven industry 15, a referral or partner source 10.
func TestLeadICPScoreByHand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Leads"), auth.LeadsWrite)

	// Dental is a target vertical (30) and compliance-driven (15); 40
	// employees is in the band (25); 40 ÷ 2 = 20 employees per IT staff
	// member gives 20 × (20 − 5) ÷ 45 = 6.67, rounded 7; a referral 10.
	res := b.call(t, http.MethodPost, "/leads", key, map[string]any{
		"companyName": "Bayview Dental", "contactName": "Sarah Jane Connor", "email": "sarah@bayview.example",
		"industry": "Dental", "employeeCount": 40, "itStaffCount": 2, "source": "REFERRAL",
	}).requireStatus(t, http.StatusCreated)
	bayview := res.data(t)
	bayviewID := bayview["id"].(string)
	require.Regexp(t, `^lead_`, bayviewID)
	require.Equal(t, float64(87), bayview["icpScore"])
	require.Equal(t, "NEW", bayview["status"])
	require.Nil(t, bayview["convertedAccountId"])
	require.Contains(t, bayview, "convertedContactId")
	require.Nil(t, bayview["convertedContactId"])
	breakdown := bayview["icpBreakdown"].([]any)
	require.Len(t, breakdown, 5)
	points := map[string]float64{}
	for _, row := range breakdown {
		points[row.(map[string]any)["factor"].(string)] = row.(map[string]any)["points"].(float64)
	}
	require.Equal(t, map[string]float64{"INDUSTRY": 30, "EMPLOYEE_COUNT": 25, "IT_STAFF_RATIO": 7, "COMPLIANCE": 15, "SOURCE": 10}, points)

	// Retail is neither a target nor compliance-driven, 500 employees is
	// outside the band, no internal IT scores the full 20, a website 0.
	res = b.call(t, http.MethodPost, "/leads", key, map[string]any{
		"companyName": "Steel Works", "industry": "Retail", "employeeCount": 500, "itStaffCount": 0, "source": "WEBSITE",
	}).requireStatus(t, http.StatusCreated)
	steelID := res.data(t)["id"].(string)
	require.Equal(t, float64(20), res.data(t)["icpScore"])

	// One IT staff member for 40 employees: 20 × 35 ÷ 45 = 15.56 → 16, so
	// 30 + 25 + 16 + 15 + 10 = 96.
	res = b.call(t, http.MethodPatch, "/leads/"+bayviewID, key, map[string]any{"itStaffCount": 1}).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(96), res.data(t)["icpScore"])
	require.Equal(t, "Sarah Jane Connor", res.data(t)["contactName"], "PATCH keeps the other fields")

	b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Cheat", "icpScore": 100}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "icpScore")
	b.call(t, http.MethodPatch, "/leads/"+steelID, key, map[string]any{"icpBreakdown": []any{}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "icpBreakdown")

	// A body with convertedContactId gets the same error as one with
	// convertedAccountId, on POST and on PATCH.
	rejections := map[string][]string{}
	for _, field := range []string{"convertedAccountId", "convertedContactId"} {
		res := b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Cheat", field: "con_01JD0000000000000000000000"})
		res.requireError(t, http.StatusUnprocessableEntity, "validation_error", field)
		require.Equal(t, []string{field}, res.detailPaths())
		rejections[field] = append(rejections[field], detailMessage(t, res))

		res = b.call(t, http.MethodPatch, "/leads/"+steelID, key, map[string]any{field: nil})
		res.requireError(t, http.StatusUnprocessableEntity, "validation_error", field)
		require.Equal(t, []string{field}, res.detailPaths())
		rejections[field] = append(rejections[field], detailMessage(t, res))
	}
	require.Equal(t, rejections["convertedAccountId"], rejections["convertedContactId"])

	b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Bad", "email": "not-an-email", "source": "FAIR"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "email", "source")
	b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Early", "status": "CONVERTED"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "status")
	b.call(t, http.MethodPost, "/leads", key, map[string]any{}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "companyName")

	res = b.call(t, http.MethodGet, "/leads?sort=icpScore:desc", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{bayviewID, steelID}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/leads?sort=companyName", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{bayviewID, steelID}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/leads?source=WEBSITE", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{steelID}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/leads?status=QUALIFIED", key, nil).requireStatus(t, http.StatusOK)
	require.Empty(t, res.list(t))
	b.call(t, http.MethodGet, "/leads?ownerId=acc_01JD0000000000000000000000", key, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "ownerId")

	res = b.call(t, http.MethodGet, "/leads/"+bayviewID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(96), res.data(t)["icpScore"])
}

func TestLeadConversionIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Conversion")
	key := b.key(t, orgID, auth.LeadsWrite, auth.AccountsWrite, auth.ContactsWrite)

	leadID := b.call(t, http.MethodPost, "/leads", key, map[string]any{
		"companyName": "Bayview Dental", "contactName": "Sarah Jane Connor", "email": "sarah@bayview.example",
		"phone": "+1 555 0100", "industry": "Dental", "employeeCount": 40, "status": "QUALIFIED",
	}).requireStatus(t, http.StatusCreated).data(t)["id"].(string)

	res := b.call(t, http.MethodPost, "/leads/"+leadID+"/convert", key, nil).requireStatus(t, http.StatusOK)
	first := res.data(t)
	account := first["account"].(map[string]any)
	contact := first["contact"].(map[string]any)
	converted := first["lead"].(map[string]any)
	require.Equal(t, "Bayview Dental", account["name"])
	require.Equal(t, "PROSPECT", account["lifecycleStatus"])
	require.Equal(t, "Dental", account["industry"])
	require.Equal(t, float64(40), account["employeeCount"])
	require.Equal(t, "Sarah", contact["firstName"])
	require.Equal(t, "Jane Connor", contact["lastName"])
	require.Equal(t, "sarah@bayview.example", contact["email"])
	require.Equal(t, "+1 555 0100", contact["phone"])
	require.Equal(t, []any{map[string]any{"accountId": account["id"], "role": nil, "isPrimary": true, "influence": nil}}, contact["accounts"])
	require.Equal(t, "CONVERTED", converted["status"])
	require.Equal(t, account["id"], converted["convertedAccountId"])
	require.Equal(t, contact["id"], converted["convertedContactId"])
	stored := b.call(t, http.MethodGet, "/leads/"+leadID, key, nil).requireStatus(t, http.StatusOK).data(t)
	require.Equal(t, contact["id"], stored["convertedContactId"], "GET returns the stored convertedContactId")

	// Another contact becomes the account's primary contact, so only the
	// recorded convertedContactId leads back to the converted contact.
	newPrimary := b.call(t, http.MethodPost, "/contacts", key, map[string]any{
		"firstName": "Kyle", "lastName": "Reese", "email": "kyle@bayview.example",
		"accounts": []any{map[string]any{"accountId": account["id"], "isPrimary": true}},
	}).requireStatus(t, http.StatusCreated).data(t)
	require.Equal(t, true, newPrimary["accounts"].([]any)[0].(map[string]any)["isPrimary"])
	links := b.call(t, http.MethodGet, "/contacts/"+contact["id"].(string), key, nil).requireStatus(t, http.StatusOK).data(t)["accounts"]
	require.Equal(t, false, links.([]any)[0].(map[string]any)["isPrimary"], "the new primary contact clears the converted contact's flag")

	res = b.call(t, http.MethodPost, "/leads/"+leadID+"/convert", key, nil).requireStatus(t, http.StatusOK)
	second := res.data(t)
	require.Equal(t, account["id"], second["account"].(map[string]any)["id"], "a second conversion returns the same account")
	require.Equal(t, contact["id"], second["contact"].(map[string]any)["id"], "a second conversion returns the converted contact, not the new primary")
	require.Equal(t, contact["id"], second["lead"].(map[string]any)["convertedContactId"])
	require.Equal(t, converted["updatedAt"], second["lead"].(map[string]any)["updatedAt"], "a second conversion changes nothing")

	require.Len(t, b.call(t, http.MethodGet, "/accounts", key, nil).requireStatus(t, http.StatusOK).list(t), 1)
	require.Len(t, b.call(t, http.MethodGet, "/contacts", key, nil).requireStatus(t, http.StatusOK).list(t), 2)

	b.call(t, http.MethodPatch, "/leads/"+leadID, key, map[string]any{"status": "WORKING"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "status")

	t.Run("disqualified", func(t *testing.T) {
		disqualified := b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Nope Inc", "status": "DISQUALIFIED"}).
			requireStatus(t, http.StatusCreated).data(t)["id"].(string)
		b.call(t, http.MethodPost, "/leads/"+disqualified+"/convert", key, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "status")
		b.call(t, http.MethodPatch, "/leads/"+disqualified, key, map[string]any{"status": "CONVERTED"}).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "status")
	})

	t.Run("existing contact email", func(t *testing.T) {
		again := b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Bayview Ortho", "email": "SARAH@bayview.example"}).
			requireStatus(t, http.StatusCreated).data(t)["id"].(string)
		res := b.call(t, http.MethodPost, "/leads/"+again+"/convert", key, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, contact["id"], res.data(t)["contact"].(map[string]any)["id"], "the contact with the email is linked, not duplicated")
		require.Len(t, res.data(t)["contact"].(map[string]any)["accounts"], 2)
		require.Equal(t, contact["id"], res.data(t)["lead"].(map[string]any)["convertedContactId"], "the linked contact is recorded")
	})

	t.Run("no contact", func(t *testing.T) {
		nameless := b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Nameless Co", "phone": "+1 555 0199"}).
			requireStatus(t, http.StatusCreated).data(t)["id"].(string)
		res := b.call(t, http.MethodPost, "/leads/"+nameless+"/convert", key, nil).requireStatus(t, http.StatusOK)
		require.Nil(t, res.data(t)["contact"])
		lead := res.data(t)["lead"].(map[string]any)
		require.Equal(t, "CONVERTED", lead["status"])
		require.Equal(t, res.data(t)["account"].(map[string]any)["id"], lead["convertedAccountId"])
		require.Contains(t, lead, "convertedContactId")
		require.Nil(t, lead["convertedContactId"])

		res = b.call(t, http.MethodPost, "/leads/"+nameless+"/convert", key, nil).requireStatus(t, http.StatusOK)
		require.Nil(t, res.data(t)["contact"], "a second conversion still returns no contact")
		require.Nil(t, res.data(t)["lead"].(map[string]any)["convertedContactId"])
	})

	t.Run("converted before convertedContactId", func(t *testing.T) {
		legacy, legacyAccount := createAndConvertLead(t, b, key, "Legacy Ltd", "Ellen Ripley")
		otherPrimary := b.call(t, http.MethodPost, "/contacts", key, map[string]any{
			"firstName": "Dallas", "accounts": []any{map[string]any{"accountId": legacyAccount, "isPrimary": true}},
		}).requireStatus(t, http.StatusCreated).data(t)["id"].(string)

		// Clearing convertedContactId makes the lead look like one converted
		// before leads had the field.
		ctx := auth.SystemContext(context.Background(), orgID)
		require.NoError(t, b.client.Lead.UpdateOneID(legacy).ClearConvertedContactID().Exec(ctx))

		res := b.call(t, http.MethodPost, "/leads/"+legacy+"/convert", key, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, otherPrimary, res.data(t)["contact"].(map[string]any)["id"], "without convertedContactId the account's primary contact is returned")
		require.Nil(t, res.data(t)["lead"].(map[string]any)["convertedContactId"])
	})

	t.Run("recorded contact outside the org", func(t *testing.T) {
		elsewhereKey := b.key(t, b.org(t, "Elsewhere"), auth.ContactsWrite)
		foreign := b.call(t, http.MethodPost, "/contacts", elsewhereKey, map[string]any{"firstName": "Ash"}).
			requireStatus(t, http.StatusCreated).data(t)["id"].(string)
		misrecorded, _ := createAndConvertLead(t, b, key, "Nostromo Freight", "Joan Lambert")

		ctx := auth.SystemContext(context.Background(), orgID)
		require.NoError(t, b.client.Lead.UpdateOneID(misrecorded).SetConvertedContactID(foreign).Exec(ctx))

		res := b.call(t, http.MethodPost, "/leads/"+misrecorded+"/convert", key, nil).requireStatus(t, http.StatusOK)
		require.Nil(t, res.data(t)["contact"], "a contact the org does not have is not returned, and no other contact replaces it")
		require.Equal(t, foreign, res.data(t)["lead"].(map[string]any)["convertedContactId"])
	})

	t.Run("scopes", func(t *testing.T) {
		leadsOnly := b.key(t, orgID, auth.LeadsWrite)
		res := b.call(t, http.MethodPost, "/leads/"+leadID+"/convert", leadsOnly, nil)
		res.requireError(t, http.StatusForbidden, "insufficient_scope")
		require.Contains(t, res.Body["error"].(map[string]any)["message"], "accounts:write")

		noContacts := b.key(t, orgID, auth.LeadsWrite, auth.AccountsWrite)
		res = b.call(t, http.MethodPost, "/leads/"+leadID+"/convert", noContacts, nil)
		res.requireError(t, http.StatusForbidden, "insufficient_scope")
		require.Contains(t, res.Body["error"].(map[string]any)["message"], "contacts:write")

		b.call(t, http.MethodPost, "/leads/lead_01JD0000000000000000000000/convert", key, nil).requireError(t, http.StatusNotFound, "not_found")
		other := b.key(t, b.org(t, "Other"), auth.LeadsWrite, auth.AccountsWrite, auth.ContactsWrite)
		b.call(t, http.MethodPost, "/leads/"+leadID+"/convert", other, nil).requireError(t, http.StatusNotFound, "not_found")
	})
}

// createAndConvertLead creates a QUALIFIED lead with the contact name,
// converts it and returns the lead's ID and its account's ID.
func createAndConvertLead(t *testing.T, b *testBundle, key, companyName, contactName string) (leadID, accountID string) {
	t.Helper()
	leadID = b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": companyName, "contactName": contactName, "status": "QUALIFIED"}).
		requireStatus(t, http.StatusCreated).data(t)["id"].(string)
	res := b.call(t, http.MethodPost, "/leads/"+leadID+"/convert", key, nil).requireStatus(t, http.StatusOK)
	converted := res.data(t)["lead"].(map[string]any)
	require.Equal(t, res.data(t)["contact"].(map[string]any)["id"], converted["convertedContactId"])
	return leadID, res.data(t)["account"].(map[string]any)["id"].(string)
}

// detailMessage returns the message of an error response's only detail.
func detailMessage(t *testing.T, res response) string {
	t.Helper()
	details := res.Body["error"].(map[string]any)["details"].([]any)
	require.Len(t, details, 1, "expected one detail: %s", res.Raw)
	message, _ := details[0].(map[string]any)["message"].(string)
	return message
}
