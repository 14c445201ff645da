package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
)

// SecretPrefix starts every signing secret.
const SecretPrefix = "whsec_"

const (
	secretLength = 32
	base62       = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// NewSecret returns a fresh signing secret: whsec_ and 32 random base62
// characters (about 190 bits).
func NewSecret() (string, error) {
	var secret strings.Builder
	secret.WriteString(SecretPrefix)
	limit := big.NewInt(int64(len(base62)))
	for range secretLength {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", fmt.Errorf("generating a webhook secret: %w", err)
		}
		secret.WriteByte(base62[n.Int64()])
	}
	return secret.String(), nil
}

// ErrNoSecretKey is returned when a secret must be encrypted or decrypted but
// the server has no secret key.
var ErrNoSecretKey = errors.New("no secret key to encrypt webhook secrets: set BREADBOX_SECRET_KEY to 64 hex characters, such as the output of openssl rand -hex 32")

// SecretBox encrypts signing secrets with AES-256-GCM under the server's
// secret key. A stored value is the 12-byte nonce followed by the sealed
// secret. The zero SecretBox has no key, and every call returns
// ErrNoSecretKey.
type SecretBox struct {
	aead cipher.AEAD
}

// NewSecretBox returns a box for a 32-byte key.
func NewSecretBox(key []byte) (*SecretBox, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("the secret key has %d bytes; AES-256 needs 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("creating the AES cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("creating the GCM mode: %w", err)
	}
	return &SecretBox{aead: aead}, nil
}

// Seal encrypts a secret.
func (box *SecretBox) Seal(secret string) ([]byte, error) {
	if box == nil || box.aead == nil {
		return nil, ErrNoSecretKey
	}
	nonce := make([]byte, box.aead.NonceSize(), box.aead.NonceSize()+len(secret)+box.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("generating a nonce: %w", err)
	}
	return box.aead.Seal(nonce, nonce, []byte(secret), nil), nil
}

// Open decrypts a secret sealed by Seal under the same key.
func (box *SecretBox) Open(sealed []byte) (string, error) {
	if box == nil || box.aead == nil {
		return "", ErrNoSecretKey
	}
	if len(sealed) < box.aead.NonceSize() {
		return "", errors.New("decrypting a webhook secret: the stored value is too short")
	}
	nonce, ciphertext := sealed[:box.aead.NonceSize()], sealed[box.aead.NonceSize():]
	plain, err := box.aead.Open(nil, nonce, ciphertext, nil)
	if err != nil {
		return "", errors.New("decrypting a webhook secret failed: the secret key differs from the one that encrypted it (check BREADBOX_SECRET_KEY)")
	}
	return string(plain), nil
}

// LoadSecretBox returns the box of the server's secret key. keyHex is
// BREADBOX_SECRET_KEY. When it is empty and the database is an SQLite file,
// the key is read from the key file KeyFilePath names, which is created with
// owner-only permissions on first use. On PostgreSQL without a key it returns
// an empty box whose calls return ErrNoSecretKey, so the server still starts.
func LoadSecretBox(keyHex, databaseURL string) (*SecretBox, error) {
	if keyHex != "" {
		key, err := hex.DecodeString(keyHex)
		if err != nil || len(key) != 32 {
			return nil, errors.New("BREADBOX_SECRET_KEY must be 64 hex characters (32 bytes), such as the output of openssl rand -hex 32")
		}
		return NewSecretBox(key)
	}

	path, ok := KeyFilePath(databaseURL)
	if !ok {
		return &SecretBox{}, nil
	}
	key, err := loadOrCreateKeyFile(path)
	if err != nil {
		return nil, err
	}
	return NewSecretBox(key)
}

// KeyFilePath returns the key file of an SQLite database URL: the database's
// file name with the extension .key, in the same folder (breadbox.db keeps
// its key in breadbox.key). It returns false for any other database.
func KeyFilePath(databaseURL string) (string, bool) {
	if strings.Contains(databaseURL, "://") && !strings.HasPrefix(databaseURL, "sqlite://") {
		return "", false
	}
	path := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "//")
	if path == "" {
		return "", false
	}
	path = strings.TrimPrefix(path, "file:")
	if cut, _, found := strings.Cut(path, "?"); found {
		path = cut
	}
	base := filepath.Base(path)
	name := strings.TrimSuffix(base, filepath.Ext(base)) + ".key"
	return filepath.Join(filepath.Dir(path), name), true
}

// loadOrCreateKeyFile reads the hex key in path, or creates the file with a
// fresh key and mode 0600 when it does not exist. The key is written to a
// temporary file that is then hard-linked to path, so a reader never sees a
// half-written file and two processes that start at once agree on one key.
func loadOrCreateKeyFile(path string) ([]byte, error) {
	if key, err := readKeyFile(path); !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}

	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generating the secret key: %w", err)
	}
	temporary, err := os.CreateTemp(filepath.Dir(path), ".breadbox-key-*")
	if err != nil {
		return nil, fmt.Errorf("creating the secret key file beside %s (or set BREADBOX_SECRET_KEY): %w", path, err)
	}
	defer os.Remove(temporary.Name())
	_, writeErr := temporary.WriteString(hex.EncodeToString(key) + "\n")
	syncErr := temporary.Sync()
	closeErr := temporary.Close()
	if err := errors.Join(writeErr, syncErr, closeErr); err != nil {
		return nil, fmt.Errorf("writing the secret key file %s: %w", path, err)
	}

	switch err := os.Link(temporary.Name(), path); {
	case err == nil:
		return key, nil
	case errors.Is(err, fs.ErrExist):
		return readKeyFile(path)
	default:
		return nil, fmt.Errorf("creating the secret key file %s (or set BREADBOX_SECRET_KEY): %w", path, err)
	}
}

func readKeyFile(path string) ([]byte, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("reading the secret key file %s: %w", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(content)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("the secret key file %s does not hold 64 hex characters; restore it from a backup, since the webhook secrets were encrypted with it", path)
	}
	return key, nil
}
