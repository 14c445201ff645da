package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
)

// Key prefixes. Test keys read and write the same data as live keys, but the
// events they cause are never delivered.
const (
	LivePrefix = "msp_live_"
	TestPrefix = "msp_test_"
)

// keyBodyLength is the number of random base62 characters after the prefix:
// 40 characters carry about 238 bits of entropy.
const keyBodyLength = 40

// minKeyBodyLength is the shortest body a well-formed key can have.
const minKeyBodyLength = 32

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// GeneratedKey is a new raw key with the values stored for it.
type GeneratedKey struct {
	Raw           string
	Hash          string
	DisplayPrefix string
}

// GenerateKey creates a random key; only its hash and display prefix may be
// stored.
func GenerateKey(test bool) (GeneratedKey, error) {
	prefix := LivePrefix
	if test {
		prefix = TestPrefix
	}

	var body strings.Builder
	alphabet := big.NewInt(int64(len(base62)))
	for range keyBodyLength {
		index, err := rand.Int(rand.Reader, alphabet)
		if err != nil {
			return GeneratedKey{}, err
		}
		body.WriteByte(base62[index.Int64()])
	}

	raw := prefix + body.String()
	return GeneratedKey{Raw: raw, Hash: HashKey(raw), DisplayPrefix: raw[:len(prefix)+6]}, nil
}

// HashKey returns the hex SHA-256 of a raw key, the only form that is stored.
func HashKey(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// WellFormed reports whether raw has a key prefix followed by at least 32
// base62 characters, and whether it is a test key. A malformed key is rejected
// without a database lookup.
func WellFormed(raw string) (wellFormed, test bool) {
	var body string
	switch {
	case strings.HasPrefix(raw, LivePrefix):
		body = raw[len(LivePrefix):]
	case strings.HasPrefix(raw, TestPrefix):
		body, test = raw[len(TestPrefix):], true
	default:
		return false, false
	}
	if len(body) < minKeyBodyLength || len(body) > 128 {
		return false, false
	}
	for i := range len(body) {
		if !strings.ContainsRune(base62, rune(body[i])) {
			return false, false
		}
	}
	return true, test
}
