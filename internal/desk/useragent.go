package desk

import "strings"

// BrowserAndOS reads a User-Agent header well enough for the Visitor List:
// "Chrome 156", "Linux". Unknown parts are "Other".
func BrowserAndOS(ua string) (browser, os string) {
	return browserOf(ua), osOf(ua)
}

func browserOf(ua string) string {
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome/", "Chrome"},
		{"Chrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"FxiOS/", "Firefox"},
	} {
		if v, ok := version(ua, b.token); ok {
			return b.name + " " + v
		}
	}
	if strings.Contains(ua, "Safari/") {
		if v, ok := version(ua, "Version/"); ok {
			return "Safari " + v
		}
		return "Safari"
	}
	return "Other"
}

func osOf(ua string) string {
	switch {
	case strings.Contains(ua, "Windows"):
		return "Windows"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		return "iOS"
	case strings.Contains(ua, "Mac OS X"), strings.Contains(ua, "Macintosh"):
		return "macOS"
	case strings.Contains(ua, "Android"):
		return "Android"
	case strings.Contains(ua, "CrOS"):
		return "ChromeOS"
	case strings.Contains(ua, "Linux"):
		return "Linux"
	}
	return "Other"
}

// version returns the major version after token: its leading digits, at
// most maxVersionDigits of them (a header is the client's to write, and the
// name goes to every console's Visitor List).
func version(ua, token string) (string, bool) {
	i := strings.Index(ua, token)
	if i < 0 {
		return "", false
	}
	v := ua[i+len(token):]
	end := 0
	for end < len(v) && end < maxVersionDigits && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	return v[:end], end > 0
}

const maxVersionDigits = 6
