package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The headers of every delivery.
const (
	HeaderSignature       = "Breadbox-Signature"
	HeaderEvent           = "Breadbox-Event"
	HeaderEventID         = "Breadbox-Event-Id"
	HeaderLegacySignature = "X-MSP-Signature"
	HeaderLegacyTimestamp = "X-MSP-Timestamp"
	UserAgent             = "Breadbox-Webhooks/1.1"
)

// DefaultTolerance is the largest age of a signature timestamp that
// VerifySignature accepts, as the reference verifier does.
const DefaultTolerance = 5 * time.Minute

// Sign returns the hex HMAC-SHA256 of "<timestamp>.<body>" under secret, the
// v1 value of the Breadbox-Signature header.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignLegacy returns the hex HMAC-SHA256 of the body alone, the value of the
// legacy X-MSP-Signature header.
func SignLegacy(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignatureHeader returns the Breadbox-Signature value "t=<unix>,v1=<hex>",
// with one v1 per secret in order. During a rotation overlap the current
// secret comes first and the previous one last: the reference's TypeScript
// verifier keeps only the last v1, so receivers that still hold the previous
// secret keep verifying until the overlap ends.
func SignatureHeader(timestamp int64, body []byte, secrets ...string) string {
	var header strings.Builder
	header.WriteString("t=")
	header.WriteString(strconv.FormatInt(timestamp, 10))
	for _, secret := range secrets {
		header.WriteString(",v1=")
		header.WriteString(Sign(secret, timestamp, body))
	}
	return header.String()
}

// Errors of VerifySignature.
var (
	ErrSignatureMalformed = errors.New("the Breadbox-Signature header is not t=<unix seconds>,v1=<hex>")
	ErrSignatureStale     = errors.New("the Breadbox-Signature timestamp is outside the tolerance")
	ErrSignatureMismatch  = errors.New("no v1 signature of the Breadbox-Signature header matches the body and secret")
)

// ParseSignatureHeader reads the timestamp and every v1 value of a
// Breadbox-Signature header. Unknown keys are ignored.
func ParseSignatureHeader(header string) (int64, []string, error) {
	var timestamp int64
	var signatures []string
	for part := range strings.SplitSeq(header, ",") {
		key, value, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return 0, nil, ErrSignatureMalformed
		}
		switch key {
		case "t":
			parsed, err := strconv.ParseInt(value, 10, 64)
			if err != nil || parsed <= 0 {
				return 0, nil, ErrSignatureMalformed
			}
			timestamp = parsed
		case "v1":
			signatures = append(signatures, value)
		}
	}
	if timestamp == 0 || len(signatures) == 0 {
		return 0, nil, ErrSignatureMalformed
	}
	return timestamp, signatures, nil
}

// VerifySignature checks a delivery as a receiver should: the header's
// timestamp is within tolerance of now, and one of its v1 values is the
// signature of the raw body under secret.
func VerifySignature(header string, body []byte, secret string, tolerance time.Duration, now time.Time) error {
	timestamp, signatures, err := ParseSignatureHeader(header)
	if err != nil {
		return err
	}
	age := now.Sub(time.Unix(timestamp, 0))
	if age > tolerance || age < -tolerance {
		return ErrSignatureStale
	}
	expected := []byte(Sign(secret, timestamp, body))
	for _, signature := range signatures {
		if hmac.Equal([]byte(signature), expected) {
			return nil
		}
	}
	return ErrSignatureMismatch
}
