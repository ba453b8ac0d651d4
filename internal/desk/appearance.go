package desk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Appearance is Settings > Appearance as the widget shows it ("Make it
// ours"): the accent colour, the side of the launcher, the panel's title,
// the greeting of an empty chat, and whether visitors see operators' names.
type Appearance struct {
	AccentColor      string // "#rrggbb", lower case
	LauncherPosition LauncherPosition
	Title            string
	Greeting         string // "": none
	// OperatorNames off: visitors see NeutralOperatorName instead of any
	// operator's name (AnonymousForVisitor).
	OperatorNames bool
}

// LauncherPosition is the side of the page the widget's button sits on.
type LauncherPosition string

const (
	LauncherRight LauncherPosition = "right"
	LauncherLeft  LauncherPosition = "left"
)

// The appearance a new site has: the widget as it always looked.
const (
	DefaultAccentColor = "#2357d9"
	DefaultTitle       = "Chat with us"
	DefaultGreeting    = "Have a question? Write to us and we will answer here."
)

// DefaultAppearance is a new site's appearance.
func DefaultAppearance() Appearance {
	return Appearance{AccentColor: DefaultAccentColor, LauncherPosition: LauncherRight, Title: DefaultTitle, Greeting: DefaultGreeting, OperatorNames: true}
}

// Bounds of what an admin may enter, in characters.
const (
	MaxTitleChars    = 60
	MaxGreetingChars = 500
	// MinAccentContrast is WCAG AA for normal text: the widget writes white
	// text on the accent colour (header, the visitor's bubbles, buttons).
	MinAccentContrast = 4.5
)

// AppearanceChange is what an admin changes; nil members stay.
type AppearanceChange struct {
	AccentColor      *string
	LauncherPosition *string
	Title            *string
	Greeting         *string
	OperatorNames    *bool
}

// Apply checks a change and returns the appearance with it, or an invalid
// error that says what is wrong (and changes nothing).
func (a Appearance) Apply(ch AppearanceChange) (Appearance, error) {
	if ch.AccentColor != nil {
		c, err := CheckAccentColor(*ch.AccentColor)
		if err != nil {
			return a, err
		}
		a.AccentColor = c
	}
	if ch.LauncherPosition != nil {
		switch p := LauncherPosition(*ch.LauncherPosition); p {
		case LauncherRight, LauncherLeft:
			a.LauncherPosition = p
		default:
			return a, Errorf(CodeInvalid, "Launcher position must be right or left")
		}
	}
	if ch.Title != nil {
		t := strings.TrimSpace(*ch.Title)
		if t == "" || utf8.RuneCountInString(t) > MaxTitleChars || strings.ContainsAny(t, "\r\n") {
			return a, Errorf(CodeInvalid, "The title must be one line of 1 to %d characters", MaxTitleChars)
		}
		a.Title = t
	}
	if ch.Greeting != nil {
		g := strings.TrimSpace(*ch.Greeting)
		if utf8.RuneCountInString(g) > MaxGreetingChars {
			return a, Errorf(CodeInvalid, "The greeting must be at most %d characters", MaxGreetingChars)
		}
		a.Greeting = g
	}
	if ch.OperatorNames != nil {
		a.OperatorNames = *ch.OperatorNames
	}
	return a, nil
}

// CheckAccentColor reads "#rrggbb" or "#rgb" (any letter case) and returns
// it as "#rrggbb" in lower case, refusing a colour on which white text has
// a contrast ratio below MinAccentContrast.
func CheckAccentColor(s string) (string, error) {
	c, ok := parseHexColor(strings.TrimSpace(s))
	if !ok {
		return "", Errorf(CodeInvalid, "The accent colour must be a hex colour such as #2357d9")
	}
	if r := ContrastRatio(c, "#ffffff"); r < MinAccentContrast {
		return "", Errorf(CodeInvalid, "The accent colour %s has a contrast ratio of %s:1 with white text; it needs at least 4.5:1 (WCAG AA). Pick a darker colour.", c, FormatRatio(r))
	}
	return c, nil
}

// parseHexColor normalises "#rgb" and "#rrggbb" to "#rrggbb".
func parseHexColor(s string) (string, bool) {
	if len(s) == 4 && s[0] == '#' {
		s = string([]byte{'#', s[1], s[1], s[2], s[2], s[3], s[3]})
	}
	if len(s) != 7 || s[0] != '#' {
		return "", false
	}
	if _, err := strconv.ParseUint(s[1:], 16, 32); err != nil {
		return "", false
	}
	return strings.ToLower(s), true
}

// ContrastRatio is WCAG 2's contrast ratio of two "#rrggbb" colours, from
// 1 (none) to 21 (black on white). web/console/src/lib/contrast.ts is the
// same computation, for the live figure in Settings.
func ContrastRatio(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance of a "#rrggbb" colour.
func luminance(hex string) float64 {
	n, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	ch := func(v uint64) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(n>>16&255) + 0.7152*ch(n>>8&255) + 0.0722*ch(n&255)
}

// FormatRatio writes a ratio with two decimals, cut rather than rounded,
// so a colour just under the bar never reads as "4.50".
func FormatRatio(r float64) string {
	return fmt.Sprintf("%.2f", math.Floor(r*100)/100)
}
