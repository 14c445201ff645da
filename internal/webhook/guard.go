package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// BlockedAddressError is returned when a webhook would connect to an address
// that endpoints may not reach: loopback, private, link-local (cloud metadata
// included), shared, unspecified, multicast or reserved.
type BlockedAddressError struct {
	Host    string
	Address netip.Addr
	Reason  string
}

func (e *BlockedAddressError) Error() string {
	host := ""
	if e.Host != "" && e.Host != e.Address.String() {
		host = e.Host + " resolves to "
	}
	return fmt.Sprintf("webhook target %s%s is a %s address, which endpoints may not reach; set BREADBOX_WEBHOOK_ALLOW_PRIVATE=true for on-premises receivers", host, e.Address, e.Reason)
}

// blockedPrefixes are ranges outside the standard library's address classes.
var blockedPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "NAT64"},
}

// BlockedReason returns why endpoints may not reach addr, or "" when they
// may. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
func BlockedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	switch {
	case !addr.IsValid():
		return "invalid"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	case addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, blocked := range blockedPrefixes {
		if blocked.prefix.Contains(addr) {
			return blocked.reason
		}
	}
	return ""
}

// Resolver looks up the addresses of a host name. *net.Resolver implements
// it; tests pass a fake one so they never query real DNS.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// GuardedDialer dials webhook endpoints. It resolves the host itself, rejects
// the connection when any resolved address is blocked, and dials the checked
// addresses only. The socket's Control hook checks the address once more
// right before connect(2), so the check always applies to the address
// actually dialed and DNS rebinding cannot slip a private address past it.
type GuardedDialer struct {
	// AllowPrivate turns the guard off, for tests and on-premises receivers.
	AllowPrivate bool
	// Resolver defaults to net.DefaultResolver.
	Resolver Resolver
	// Timeout bounds each connect; default 10 s.
	Timeout time.Duration
	// OnConnect, when set, is called with each address the guard accepted,
	// right before the socket connects. Tests use it to prove that a blocked
	// address is never connected to.
	OnConnect func(address string)
}

// DialContext connects to address ("host:port") unless the guard blocks it.
func (d *GuardedDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dialing webhook target %q: %w", address, err)
	}

	addrs, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	if !d.AllowPrivate {
		for _, addr := range addrs {
			if reason := BlockedReason(addr); reason != "" {
				return nil, &BlockedAddressError{Host: host, Address: addr.Unmap(), Reason: reason}
			}
		}
	}

	dialer := net.Dialer{Timeout: d.Timeout, Control: d.control}
	if dialer.Timeout == 0 {
		dialer.Timeout = 10 * time.Second
	}
	var errs []error
	for _, addr := range addrs {
		conn, err := dialer.DialContext(ctx, network, net.JoinHostPort(addr.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// resolve returns the addresses of host; an IP literal is its own address.
func (d *GuardedDialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if literal, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{literal}, nil
	}
	resolver := d.Resolver
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	found, err := resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolving webhook host %s: %w", host, err)
	}
	addrs := make([]netip.Addr, 0, len(found))
	for _, ip := range found {
		addr, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			return nil, fmt.Errorf("resolving webhook host %s: invalid address %v", host, ip.IP)
		}
		addrs = append(addrs, addr)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("resolving webhook host %s: no addresses", host)
	}
	return addrs, nil
}

// control runs after the socket is created and before it connects.
func (d *GuardedDialer) control(_, address string, _ syscall.RawConn) error {
	if !d.AllowPrivate {
		addrPort, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("checking webhook target %q: %w", address, err)
		}
		if reason := BlockedReason(addrPort.Addr()); reason != "" {
			return &BlockedAddressError{Address: addrPort.Addr().Unmap(), Reason: reason}
		}
	}
	if d.OnConnect != nil {
		d.OnConnect(address)
	}
	return nil
}
