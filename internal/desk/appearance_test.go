package desk

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestContrastRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#000000", 21}, // order does not matter
		{"#ffffff", "#ffffff", 1},
		{"#2357d9", "#ffffff", 6.11}, // the default accent
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes AA
		{"#777777", "#ffffff", 4.48}, // the darkest that does not
		{"#ffcc00", "#ffffff", 1.51},
		{"#ff0000", "#ffffff", 4.00},
		{"#0000ff", "#ffffff", 8.59},
	} {
		if got := ContrastRatio(tc.a, tc.b); math.Abs(got-tc.want) > 0.006 {
			t.Errorf("ContrastRatio(%s, %s) = %.4f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestFormatRatioCutsDown(t *testing.T) {
	for in, want := range map[float64]string{4.4999: "4.49", 4.5: "4.50", 21: "21.00", 1.519: "1.51"} {
		if got := FormatRatio(in); got != want {
			t.Errorf("FormatRatio(%v) = %s, want %s", in, got, want)
		}
	}
}

func TestCheckAccentColor(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"#2357D9", "#2357d9", ""},
		{" #2357d9 ", "#2357d9", ""},
		{"#000", "#000000", ""},
		{"#767676", "#767676", ""},
		{"#777777", "", "contrast ratio of 4.47:1"},
		{"#ffcc00", "", "#ffcc00 has a contrast ratio of 1.51:1 with white text; it needs at least 4.5:1"},
		{"#fff", "", "contrast ratio of 1.00:1"},
		{"2357d9", "", "hex colour such as #2357d9"},
		{"#2357d", "", "hex colour"},
		{"#2357dg", "", "hex colour"},
		{"#-12345", "", "hex colour"},
		{"red", "", "hex colour"},
		{"", "", "hex colour"},
		{"#2357d9ff", "", "hex colour"},
	} {
		got, err := CheckAccentColor(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("CheckAccentColor(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !isInvalid(err)):
			t.Errorf("CheckAccentColor(%q) error = %v; want an invalid error with %q", tc.in, err, tc.err)
		}
	}
}

func isInvalid(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeInvalid
}

func TestAppearanceApply(t *testing.T) {
	str := func(s string) *string { return &s }
	off := false
	def := DefaultAppearance()
	for _, tc := range []struct {
		name string
		ch   AppearanceChange
		want func(a *Appearance)
		err  string
	}{
		{"nothing", AppearanceChange{}, func(*Appearance) {}, ""},
		{"all", AppearanceChange{AccentColor: str("#0B6E4F"), LauncherPosition: str("left"), Title: str("  Talk to Acme "), Greeting: str(" Hi! "), OperatorNames: &off},
			func(a *Appearance) {
				*a = Appearance{AccentColor: "#0b6e4f", LauncherPosition: LauncherLeft, Title: "Talk to Acme", Greeting: "Hi!", OperatorNames: false}
			}, ""},
		{"empty greeting", AppearanceChange{Greeting: str("  ")}, func(a *Appearance) { a.Greeting = "" }, ""},
		{"RTL title", AppearanceChange{Title: str("تحدث معنا")}, func(a *Appearance) { a.Title = "تحدث معنا" }, ""},
		{"title of 60 characters", AppearanceChange{Title: str(strings.Repeat("é", 60))}, func(a *Appearance) { a.Title = strings.Repeat("é", 60) }, ""},
		{"greeting of 500 characters", AppearanceChange{Greeting: str(strings.Repeat("ש", 500))}, func(a *Appearance) { a.Greeting = strings.Repeat("ש", 500) }, ""},
		{"title too long", AppearanceChange{Title: str(strings.Repeat("x", 61))}, nil, "The title must be one line of 1 to 60 characters"},
		{"title empty", AppearanceChange{Title: str(" ")}, nil, "1 to 60"},
		{"title of two lines", AppearanceChange{Title: str("a\nb")}, nil, "one line"},
		{"greeting too long", AppearanceChange{Greeting: str(strings.Repeat("x", 501))}, nil, "The greeting must be at most 500 characters"},
		{"bad position", AppearanceChange{LauncherPosition: str("top")}, nil, "Launcher position must be right or left"},
		{"position in capitals", AppearanceChange{LauncherPosition: str("Left")}, nil, "right or left"},
		{"low contrast", AppearanceChange{AccentColor: str("#ffcc00")}, nil, "1.51:1"},
		{"a good change beside a bad one", AppearanceChange{AccentColor: str("#000000"), Title: str("")}, nil, "1 to 60"},
	} {
		got, err := def.Apply(tc.ch)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !isInvalid(err) {
				t.Errorf("%s: error = %v, want invalid with %q", tc.name, err, tc.err)
			}
			continue
		}
		want := def
		tc.want(&want)
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.name, got, err, want)
		}
	}
}
