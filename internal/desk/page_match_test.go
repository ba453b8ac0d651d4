package desk

import "testing"

func TestConditionMatches(t *testing.T) {
	page := Page{URL: "https://shop.example.com/Product/42?ref=x#reviews", Title: "Blue Kettle — Product", Referrer: "https://www.google.com/search?q=kettle"}
	tests := []struct {
		name string
		c    Condition
		want bool
	}{
		{"url equals whole url without fragment", Condition{FieldURL, OpEquals, "https://shop.example.com/product/42?ref=x"}, true},
		{"url equals needs the whole url", Condition{FieldURL, OpEquals, "https://shop.example.com/product"}, false},
		{"url equals ignores the fragment", Condition{FieldURL, OpEquals, "https://shop.example.com/Product/42?ref=x#reviews"}, false},
		{"url contains ignores case", Condition{FieldURL, OpContains, "/product"}, true},
		{"url contains misses", Condition{FieldURL, OpContains, "/pricing"}, false},
		{"url contains does not look at the fragment", Condition{FieldURL, OpContains, "reviews"}, false},
		{"url starts with", Condition{FieldURL, OpStartsWith, "https://shop.example.com/product"}, true},
		{"url starts with misses", Condition{FieldURL, OpStartsWith, "/product"}, false},
		{"wildcard in the middle", Condition{FieldURL, OpWildcard, "https://*/product/*"}, true},
		{"wildcard must match the whole url", Condition{FieldURL, OpWildcard, "*/product"}, false},
		{"wildcard star matches empty", Condition{FieldURL, OpWildcard, "https://shop.example.com/product/42?ref=x*"}, true},
		{"wildcard with several stars backtracks", Condition{FieldURL, OpWildcard, "*shop*42*"}, true},
		{"wildcard without star is equality", Condition{FieldURL, OpWildcard, "https://shop.example.com/product/42?ref=y"}, false},
		{"title contains", Condition{FieldTitle, OpContains, "kettle"}, true},
		{"title contains misses", Condition{FieldTitle, OpContains, "pricing"}, false},
		{"referrer contains", Condition{FieldReferrer, OpContains, "google.com"}, true},
		{"referrer contains misses", Condition{FieldReferrer, OpContains, "bing.com"}, false},
	}
	for _, tc := range tests {
		if got := tc.c.Matches(page); got != tc.want {
			t.Errorf("%s: %v.Matches = %v, want %v", tc.name, tc.c, got, tc.want)
		}
	}
}

func TestConditionValidate(t *testing.T) {
	valid := []Condition{
		{FieldURL, OpEquals, "x"}, {FieldURL, OpContains, "x"}, {FieldURL, OpStartsWith, "x"}, {FieldURL, OpWildcard, "*x"},
		{FieldTitle, OpContains, "x"}, {FieldReferrer, OpContains, "x"},
	}
	for _, c := range valid {
		if err := c.Validate(); err != nil {
			t.Errorf("%v: %v", c, err)
		}
	}
	invalid := []Condition{
		{FieldTitle, OpEquals, "x"}, {FieldReferrer, OpWildcard, "x"}, {"cookie", OpContains, "x"},
		{FieldURL, "regex", "x"}, {FieldURL, OpContains, "  "},
	}
	for _, c := range invalid {
		if err := c.Validate(); CodeOf(err) != CodeInvalid {
			t.Errorf("%v: err = %v, want invalid", c, err)
		}
	}
}

func TestMatchAllNeedsEveryCondition(t *testing.T) {
	p := Page{URL: "https://x.test/product", Title: "Product"}
	both := []Condition{{FieldURL, OpContains, "/product"}, {FieldTitle, OpContains, "product"}}
	if !MatchAll(both, p) {
		t.Error("both hold but MatchAll is false")
	}
	one := []Condition{{FieldURL, OpContains, "/product"}, {FieldTitle, OpContains, "pricing"}}
	if MatchAll(one, p) {
		t.Error("one fails but MatchAll is true")
	}
}
