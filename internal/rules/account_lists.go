package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/breadbox/breadbox/ent/complianceitem"
)

// MaxListItems bounds an account's tags and compliance frameworks.
const MaxListItems = 100

// ValidateTags checks an account's tags: at most MaxListItems, each a
// non-blank text of at most 255 characters without a NUL character.
func ValidateTags(tags []string) error {
	if len(tags) > MaxListItems {
		return fmt.Errorf("must have at most %d items, got %d", MaxListItems, len(tags))
	}
	for i, tag := range tags {
		switch {
		case strings.ContainsRune(tag, 0):
			return fmt.Errorf("item %d must not contain a NUL character", i)
		case strings.TrimSpace(tag) == "":
			return fmt.Errorf("item %d must not be blank", i)
		case utf8.RuneCountInString(tag) > 255:
			return fmt.Errorf("item %d must be at most 255 characters", i)
		}
	}
	return nil
}

// ValidateComplianceFrameworks checks an account's compliance frameworks:
// at most MaxListItems, each one of the compliance item frameworks.
func ValidateComplianceFrameworks(frameworks []string) error {
	if len(frameworks) > MaxListItems {
		return fmt.Errorf("must have at most %d items, got %d", MaxListItems, len(frameworks))
	}
	for i, framework := range frameworks {
		if complianceitem.FrameworkValidator(complianceitem.Framework(framework)) != nil {
			return fmt.Errorf("item %d is %q; use one of HIPAA, PCI_DSS, SOC2, CMMC, NIST_CSF, ISO_27001, GDPR or CUSTOM", i, framework)
		}
	}
	return nil
}
