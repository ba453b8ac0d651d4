// Package ids makes the random names Output Desk hands out: tokens for
// cookies and widgets, visit ids, visitors' short names.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return b
}

// Hex is n random bytes in hex.
func Hex(n int) string { return hex.EncodeToString(randomBytes(n)) }

// Token is an unguessable token for URLs and cookies.
func Token(prefix string) string {
	return prefix + base64.RawURLEncoding.EncodeToString(randomBytes(24))
}

// Hash is how tokens are kept in the store: a leaked database does not
// leak working tokens.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Short is a visitor's short name tag, in letters people can read aloud.
func Short() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := randomBytes(6)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
