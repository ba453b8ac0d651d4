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

// version returns the major version after token.
func version(ua, token string) (string, bool) {
	i := strings.Index(ua, token)
	if i < 0 {
		return "", false
	}
	v := ua[i+len(token):]
	end := strings.IndexAny(v, ". ;)")
	if end >= 0 {
		v = v[:end]
	}
	return v, v != ""
}
