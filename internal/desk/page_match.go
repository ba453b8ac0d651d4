package desk

import (
	"fmt"
	"strings"
)

// Field is the part of a page a condition looks at.
type Field string

const (
	FieldURL      Field = "url"
	FieldTitle    Field = "title"
	FieldReferrer Field = "referrer"
)

// Op is how a condition compares.
type Op string

const (
	OpEquals     Op = "equals"
	OpContains   Op = "contains"
	OpStartsWith Op = "starts_with"
	OpWildcard   Op = "wildcard"
)

// Condition is one test on a visitor's page. Comparisons ignore case, and a
// URL is compared without its #fragment.
type Condition struct {
	Field Field
	Op    Op
	Value string
}

// Validate checks the field/op pair against what SPEC 3.1 allows.
func (c Condition) Validate() error {
	ok := false
	switch c.Field {
	case FieldURL:
		ok = c.Op == OpEquals || c.Op == OpContains || c.Op == OpStartsWith || c.Op == OpWildcard
	case FieldTitle, FieldReferrer:
		ok = c.Op == OpContains
	}
	if !ok {
		return Errorf(CodeInvalid, "Condition %q %q is not allowed", c.Field, c.Op)
	}
	if strings.TrimSpace(c.Value) == "" {
		return Errorf(CodeInvalid, "Condition %s %s needs a value", c.Field, c.Op)
	}
	if len(c.Value) > MaxURLBytes {
		return Errorf(CodeInvalid, "Condition value is longer than %d bytes", MaxURLBytes)
	}
	return nil
}

// Matches reports whether the page satisfies the condition.
func (c Condition) Matches(p Page) bool {
	var subject string
	switch c.Field {
	case FieldURL:
		subject = p.URL
		if i := strings.IndexByte(subject, '#'); i >= 0 {
			subject = subject[:i]
		}
	case FieldTitle:
		subject = p.Title
	case FieldReferrer:
		subject = p.Referrer
	default:
		return false
	}
	subject, value := strings.ToLower(subject), strings.ToLower(c.Value)
	switch c.Op {
	case OpEquals:
		return subject == value
	case OpContains:
		return strings.Contains(subject, value)
	case OpStartsWith:
		return strings.HasPrefix(subject, value)
	case OpWildcard:
		return wildcardMatch(value, subject)
	}
	return false
}

// String renders the condition for explanations: url contains "/product".
func (c Condition) String() string {
	return fmt.Sprintf("%s %s %q", c.Field, strings.ReplaceAll(string(c.Op), "_", " "), c.Value)
}

// wildcardMatch matches the whole subject against a pattern where * is any
// run of characters (possibly empty). Greedy with backtracking to the last
// star, so it runs in linear time for typical patterns.
func wildcardMatch(pattern, subject string) bool {
	p, s := 0, 0
	star, mark := -1, 0
	for s < len(subject) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && pattern[p] == subject[s]:
			p++
			s++
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// MatchAll reports whether every condition holds; an empty list holds.
func MatchAll(conds []Condition, p Page) bool {
	for _, c := range conds {
		if !c.Matches(p) {
			return false
		}
	}
	return true
}
