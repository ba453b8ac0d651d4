package desk

// Fuzz targets for what visitors and admins send that desk reads: page
// conditions (rules), pages, user agents. `make fuzz` runs each briefly;
// docs/testing.md gives the command for a long run.

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzWildcard checks wildcardMatch against a regular expression built from
// the same pattern: * is any run of bytes, everything else is literal, and
// the whole subject must match.
func FuzzWildcard(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://shop.example/*/product*", "https://shop.example/en/product/42"},
		{"*", ""}, {"a*b*c", "abc"}, {"a*b*c", "acb"}, {"**a", "ba"}, {"x", "xx"}, {"*a*a*a*a*b", strings.Repeat("a", 60)},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, subject string) {
		if len(pattern) > 256 || len(subject) > 256 {
			return
		}
		parts := strings.Split(pattern, "*")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re, err := regexp.Compile(`(?s)\A` + strings.Join(parts, ".*") + `\z`)
		if err != nil {
			return // not UTF-8: regexp cannot say
		}
		if !utf8.ValidString(subject) {
			return
		}
		if got, want := wildcardMatch(pattern, subject), re.MatchString(subject); got != want {
			t.Fatalf("wildcardMatch(%q, %q) = %v, the regexp says %v", pattern, subject, got, want)
		}
	})
}

// FuzzCondition: any condition an admin sends is validated without a
// panic, and a valid one matches any page without a panic, ignoring case
// and the URL's fragment.
func FuzzCondition(f *testing.F) {
	f.Add("url", "contains", "/product", "https://x.example/product#top", "Product", "")
	f.Add("title", "contains", "Pricing", "https://x.example/", "PRICING plans", "https://ref.example/")
	f.Add("url", "wildcard", "*/p/*", "https://x.example/p/1", "", "")
	f.Add("referrer", "equals", "x", "", "", "x")
	f.Fuzz(func(t *testing.T, field, op, value, url, title, referrer string) {
		c := Condition{Field: Field(field), Op: Op(op), Value: value}
		if c.Validate() != nil {
			return
		}
		p := Page{URL: url, Title: title, Referrer: referrer}.Clean()
		got := c.Matches(p)
		upper := Page{URL: strings.ToUpper(p.URL), Title: strings.ToUpper(p.Title), Referrer: strings.ToUpper(p.Referrer)}
		if utf8.ValidString(p.URL+p.Title+p.Referrer+value) && strings.ToLower(strings.ToUpper(p.URL+p.Title+p.Referrer)) == strings.ToLower(p.URL+p.Title+p.Referrer) {
			if c.Matches(upper) != got {
				t.Fatalf("%v: case changed the match on %+v", c, p)
			}
		}
		if c.Field == FieldURL && !strings.Contains(p.URL, "#") && !strings.Contains(value, "#") {
			withFragment := p
			withFragment.URL += "#anything"
			if c.Matches(withFragment) != got {
				t.Fatalf("%v: a #fragment changed the match on %q", c, p.URL)
			}
		}
	})
}

// FuzzPageClean: pages from the widget are cut to their limits at a rune
// boundary, never grown.
func FuzzPageClean(f *testing.F) {
	f.Add("https://x.example/"+strings.Repeat("é", 1500), "Title", "")
	f.Add("", strings.Repeat("€", 300), "\xff\xfe")
	f.Fuzz(func(t *testing.T, url, title, referrer string) {
		p := Page{URL: url, Title: title, Referrer: referrer}.Clean()
		if len(p.URL) > MaxURLBytes || len(p.Title) > MaxTitleBytes || len(p.Referrer) > MaxURLBytes {
			t.Fatalf("not cut: %d/%d/%d bytes", len(p.URL), len(p.Title), len(p.Referrer))
		}
		for _, pair := range [][2]string{{url, p.URL}, {title, p.Title}, {referrer, p.Referrer}} {
			if !strings.HasPrefix(pair[0], pair[1]) {
				t.Fatalf("cut %q is not a prefix of %q", pair[1], pair[0])
			}
			if len(pair[1]) < len(pair[0]) && utf8.ValidString(pair[0]) && !utf8.ValidString(pair[1]) {
				t.Fatalf("cut inside a rune: %q", pair[1])
			}
		}
	})
}

// FuzzBrowserAndOS: any User-Agent gives a short name for each, never a
// piece of the header longer than a version.
func FuzzBrowserAndOS(f *testing.F) {
	f.Add("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")
	f.Add("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile/15E148 Safari/604.1")
	f.Add("Edg/")
	f.Add("Chrome/" + strings.Repeat("9", 5000))
	f.Fuzz(func(t *testing.T, ua string) {
		browser, os := BrowserAndOS(ua)
		if len(browser) > 40 || len(os) > 20 || browser == "" || os == "" {
			t.Fatalf("BrowserAndOS(%q) = %q, %q", ua, browser, os)
		}
		if !utf8.ValidString(browser) || !utf8.ValidString(os) {
			t.Fatalf("not UTF-8: %q, %q", browser, os)
		}
	})
}
