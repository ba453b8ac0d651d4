package httpapi

import "net/http"

// consoleCSP is the Content-Security-Policy of every console page. The
// built console (web/dist/console/index.html) loads one script and one
// stylesheet from /console/assets/ and has no inline script or style;
// Preact sets styles through the CSSOM, which style-src does not govern.
//
//   - default-src 'none': whatever is not named below is refused.
//   - script-src 'self', style-src 'self': the console's own files only; no
//     'unsafe-inline', no 'unsafe-eval', so text a visitor typed can never
//     run even if it reached the page as markup.
//   - img-src 'self' data: its own images and the empty data: favicon that
//     index.html sets (so that browsers do not ask for /favicon.ico). The
//     thumbnails of files sent in chats load from /api/files/{id}, which
//     'self' covers: no blob: is needed (the console's session cookie
//     goes with a same-origin <img>).
//   - connect-src 'self': the REST API and the console socket; in CSP Level
//     3 'self' also matches ws: and wss: on the page's own host and port.
//   - base-uri 'none': no <base> can redirect the relative URLs.
//   - form-action 'self': forms are sent by script; a form posted natively
//     can only go back to this server.
//   - frame-ancestors 'none': no site can frame the console (clickjacking).
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// setConsoleHeaders marks a response as a page or file of the console:
// strict CSP, not to be framed, sniffed, leaked in Referer to the sites of
// the visitors' page URLs, or loaded by other origins.
func setConsoleHeaders(h http.Header) {
	h.Set("Content-Security-Policy", consoleCSP)
	h.Set("X-Frame-Options", "DENY") // frame-ancestors for browsers without CSP 2
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer a browser sends
	// "Origin: null" on the console's own POSTs.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}

// setWidgetHeaders marks widget.js and panel.js, which customers' pages on
// any origin load with a plain <script>: readable cross-origin (CORP), only
// as the JavaScript they are (nosniff), and nothing that would keep them
// from running embedded, such as a CSP or frame options.
func setWidgetHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
}

// noSniff sends X-Content-Type-Options: nosniff with every response (the
// REST API's JSON, errors, the demo site): a browser then never treats a
// response as another type than the one it says it is.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
