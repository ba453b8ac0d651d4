package desk

import "testing"

func TestBrowserAndOS(t *testing.T) {
	tests := []struct{ ua, browser, os string }{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.73 Safari/537.36", "Chrome 156", "Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0", "Edge 120", "Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari 17", "macOS"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari 17", "iOS"},
		{"Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0", "Firefox 121", "Android"},
		{"curl/8.0", "Other", "Other"},
	}
	for _, tc := range tests {
		b, o := BrowserAndOS(tc.ua)
		if b != tc.browser || o != tc.os {
			t.Errorf("%q: got %q %q, want %q %q", tc.ua, b, o, tc.browser, tc.os)
		}
	}
}
