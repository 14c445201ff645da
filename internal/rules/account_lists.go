package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/breadbox/breadbox/ent/complianceitem"
)

// MaxListItems bounds an account's tags and compliance frameworks.
const MaxListItems = 100

// TagProblem returns why a tag is invalid, or "": a tag is a non-blank text
// of at most 255 characters without a NUL character.
func TagProblem(tag string) string {
	switch {
	case strings.ContainsRune(tag, 0):
		return "must not contain a NUL character"
	case strings.TrimSpace(tag) == "":
		return "must not be blank"
	case utf8.RuneCountInString(tag) > 255:
		return "must be at most 255 characters"
	}
	return ""
}

// FrameworkProblem returns why a compliance framework is invalid, or "".
func FrameworkProblem(framework string) string {
	if complianceitem.FrameworkValidator(complianceitem.Framework(framework)) != nil {
		return "must be one of HIPAA, PCI_DSS, SOC2, CMMC, NIST_CSF, ISO_27001, GDPR or CUSTOM"
	}
	return ""
}

// ValidateTags checks an account's tags: at most MaxListItems, each valid by
// TagProblem.
func ValidateTags(tags []string) error {
	return validateList(tags, TagProblem)
}

// ValidateComplianceFrameworks checks an account's compliance frameworks: at
// most MaxListItems, each valid by FrameworkProblem.
func ValidateComplianceFrameworks(frameworks []string) error {
	return validateList(frameworks, FrameworkProblem)
}

func validateList(items []string, problemOf func(string) string) error {
	if len(items) > MaxListItems {
		return fmt.Errorf("must have at most %d items, got %d", MaxListItems, len(items))
	}
	for i, item := range items {
		if problem := problemOf(item); problem != "" {
			return fmt.Errorf("item %d %s, got %q", i, problem, item)
		}
	}
	return nil
}
