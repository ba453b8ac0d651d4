package app

import (
	"strings"

	"outputdesk/internal/ids"
)

var (
	randomHex   = ids.Hex
	randomToken = ids.Token
	hashToken   = ids.Hash
)

func trimSlash(s string) string { return strings.TrimRight(s, "/") }
