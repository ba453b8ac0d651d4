package app

import (
	"strings"

	"outputdesk/internal/ids"
)

var randomHex = ids.Hex

func trimSlash(s string) string { return strings.TrimRight(s, "/") }
