"""Which IP addresses Marsad may contact (the SSRF guard's rule, kept apart from the fetcher).

An IPv6 address can carry an IPv4 address inside it: mapped (`::ffff:127.0.0.1`), the old
IPv4-compatible form (`::127.0.0.1`), NAT64 (`64:ff9b::/96`, RFC 6052) and 6to4 (`2002::/16`,
RFC 3056). Python's `is_global` judges only the IPv6 prefix, so `::127.0.0.1` or
`64:ff9b::a9fe:a9fe` (169.254.169.254, the cloud metadata service) passed as "global". The
embedded IPv4 address is judged instead.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it has one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.is_loopback or address.is_unspecified:  # ::1 and :: are no IPv4 in disguise
        return None
    if address in IPV4_COMPATIBLE or address in NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(address.packed[12:])
    return None


def may_contact(address: IPAddress, allow_loopback: bool = False) -> bool:
    """Global unicast addresses only; loopback when allowed (tests, local deployments)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            address = inner
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not address.is_multicast
