package webhook

import (
	"testing"
	"time"
)

func FuzzParseSignatureHeader(f *testing.F) {
	f.Add("t=1762470120,v1=a3f2b1c4")
	f.Add("t=1762470120,v1=aa,v1=bb")
	f.Add("v1=,t=")
	f.Add("t=-1,v1=00")
	f.Add(",,,")
	f.Fuzz(func(t *testing.T, header string) {
		timestamp, signatures, err := ParseSignatureHeader(header)
		if err != nil {
			return
		}
		if timestamp <= 0 || len(signatures) == 0 {
			t.Fatalf("accepted %q with timestamp %d and %d signatures", header, timestamp, len(signatures))
		}
		// Verification of any parsed header must not panic.
		_ = VerifySignature(header, []byte(header), "whsec_fuzz", DefaultTolerance, time.Unix(timestamp, 0))
	})
}

func TestSignatureHeaderRoundTrip(t *testing.T) {
	body := []byte(`{"id":"evt_1762470120_a1b2c3d4"}`)
	header := SignatureHeader(1762470120, body, "whsec_current", "whsec_previous")
	timestamp, signatures, err := ParseSignatureHeader(header)
	if err != nil {
		t.Fatalf("parsing %q: %v", header, err)
	}
	if timestamp != 1762470120 {
		t.Fatalf("timestamp = %d, want 1762470120", timestamp)
	}
	if len(signatures) != 2 || signatures[0] != Sign("whsec_current", timestamp, body) || signatures[1] != Sign("whsec_previous", timestamp, body) {
		t.Fatalf("signatures = %v, want the current secret's first and the previous one's last", signatures)
	}
	if _, _, err := ParseSignatureHeader("t=abc,v1=00"); err != ErrSignatureMalformed {
		t.Fatalf("a non-numeric timestamp gave %v, want ErrSignatureMalformed", err)
	}
}
