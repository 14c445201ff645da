package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// connectRecorder records every address the dialer was about to connect to,
// after the guard accepted it.
type connectRecorder struct {
	mu        sync.Mutex
	addresses []string
}

func (r *connectRecorder) record(address string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addresses = append(r.addresses, address)
}

func (r *connectRecorder) connected() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.addresses...)
}

// fakeResolver answers every lookup with fixed addresses and never queries
// DNS.
type fakeResolver struct {
	addresses []string
	lookups   []string
}

func (f *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	f.lookups = append(f.lookups, host)
	var found []net.IPAddr
	for _, address := range f.addresses {
		found = append(found, net.IPAddr{IP: net.ParseIP(address)})
	}
	return found, nil
}

func TestGuardRejectsBlockedLiteralsBeforeConnecting(t *testing.T) {
	t.Parallel()
	blocked := map[string]string{
		"127.0.0.1:443":               "loopback",
		"[::1]:443":                   "loopback",
		"[::ffff:127.0.0.1]:443":      "loopback",
		"10.0.0.1:443":                "private",
		"172.16.5.4:443":              "private",
		"192.168.1.1:443":             "private",
		"[fd00::1]:443":               "private",
		"[::ffff:10.0.0.1]:443":       "private",
		"169.254.169.254:80":          "link-local",
		"[::ffff:169.254.169.254]:80": "link-local",
		"[fe80::1]:443":               "link-local",
		"100.64.0.1:443":              "shared",
		"0.0.0.0:443":                 "unspecified",
		"[::]:443":                    "unspecified",
		"224.0.0.1:443":               "multicast",
		"[ff02::1]:443":               "multicast",
		"255.255.255.255:443":         "broadcast",
	}
	for address, reason := range blocked {
		t.Run(address, func(t *testing.T) {
			t.Parallel()
			var connects connectRecorder
			resolver := &fakeResolver{}
			dialer := &GuardedDialer{Resolver: resolver, OnConnect: connects.record}

			conn, err := dialer.DialContext(context.Background(), "tcp", address)
			if conn != nil {
				_ = conn.Close()
			}
			var blockedErr *BlockedAddressError
			require.ErrorAs(t, err, &blockedErr)
			require.Contains(t, blockedErr.Reason, reason)
			require.Empty(t, connects.connected(), "the guard must reject before any connect")
			require.Empty(t, resolver.lookups, "an IP literal needs no lookup")
		})
	}
}

func TestGuardRejectsHostResolvingToPrivateAddress(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"private only":           {"10.20.30.40"},
		"metadata":               {"169.254.169.254"},
		"public and private mix": {"93.184.216.34", "192.168.0.10"},
		"mapped loopback":        {"::ffff:127.0.0.1"},
	}
	for name, addresses := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var connects connectRecorder
			resolver := &fakeResolver{addresses: addresses}
			dialer := &GuardedDialer{Resolver: resolver, OnConnect: connects.record}

			_, err := dialer.DialContext(context.Background(), "tcp", "hooks.rebinding.invalid:443")
			var blockedErr *BlockedAddressError
			require.ErrorAs(t, err, &blockedErr)
			require.Equal(t, "hooks.rebinding.invalid", blockedErr.Host)
			require.Contains(t, err.Error(), "hooks.rebinding.invalid resolves to")
			require.Equal(t, []string{"hooks.rebinding.invalid"}, resolver.lookups)
			require.Empty(t, connects.connected(), "the guard must reject before any connect")
		})
	}
}

func TestGuardChecksDialedAddressAtConnect(t *testing.T) {
	t.Parallel()
	// The socket's Control hook receives the address actually dialed, after
	// any resolution, so a name that resolved to a public address earlier
	// and to the metadata address now is still rejected.
	var connects connectRecorder
	dialer := &GuardedDialer{OnConnect: connects.record}
	for _, address := range []string{"169.254.169.254:80", "10.0.0.1:443", "[::ffff:127.0.0.1]:443"} {
		err := dialer.control("tcp4", address, nil)
		var blockedErr *BlockedAddressError
		require.ErrorAs(t, err, &blockedErr, address)
	}
	require.Empty(t, connects.connected())

	require.NoError(t, dialer.control("tcp4", "93.184.216.34:443", nil))
	require.Equal(t, []string{"93.184.216.34:443"}, connects.connected(), "a public address passes to connect")
}

func TestGuardAllowPrivateReachesLoopback(t *testing.T) {
	t.Parallel()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(server.Close)

	var connects connectRecorder
	dialer := &GuardedDialer{AllowPrivate: true, OnConnect: connects.record}
	conn, err := dialer.DialContext(context.Background(), "tcp", server.Listener.Addr().String())
	require.NoError(t, err)
	require.NoError(t, conn.Close())
	require.Equal(t, []string{server.Listener.Addr().String()}, connects.connected())

	// The same address without AllowPrivate is rejected.
	dialer = &GuardedDialer{OnConnect: connects.record}
	_, err = dialer.DialContext(context.Background(), "tcp", server.Listener.Addr().String())
	var blockedErr *BlockedAddressError
	require.True(t, errors.As(err, &blockedErr))
	require.Len(t, connects.connected(), 1)
}

func TestBlockedReasonAllowsPublicAddresses(t *testing.T) {
	t.Parallel()
	for _, public := range []string{"8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:93.184.216.34"} {
		require.Empty(t, BlockedReason(netip.MustParseAddr(public)), public)
	}
	for _, reserved := range []string{"198.18.0.1", "240.0.0.1", "192.0.0.8", "64:ff9b::a00:1"} {
		require.NotEmpty(t, BlockedReason(netip.MustParseAddr(reserved)), reserved)
	}
}
