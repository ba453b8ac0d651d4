// Package web holds the built console and widget (dist/, committed and
// rebuilt by CI) and the demo website, embedded in the binary so that
// `go run ./cmd/outputdesk` needs nothing but Go.
package web

import "embed"

// Files holds dist/console, dist/widget and demo/.
//
//go:embed dist demo
var Files embed.FS
