"""The SSRF guard's address rule (adversarial probe, item 13): IPv6 forms that carry a
non-global IPv4 address are refused like the IPv4 address itself."""

from __future__ import annotations

import ipaddress

import pytest

from marsad.netaddress import embedded_ipv4, may_contact

pytestmark = pytest.mark.adversarial


@pytest.mark.parametrize(
    ("address", "inner"),
    [
        ("::127.0.0.1", "127.0.0.1"),  # IPv4-compatible
        ("::10.0.0.1", "10.0.0.1"),
        ("::ffff:169.254.169.254", "169.254.169.254"),  # mapped
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),  # NAT64: the metadata service
        ("64:ff9b::7f00:1", "127.0.0.1"),
        ("2002:7f00:1::1", "127.0.0.1"),  # 6to4
        ("2002:c0a8:101::", "192.168.1.1"),
        ("2002:a9fe:a9fe::1", "169.254.169.254"),
    ],
)
def test_ipv6_forms_of_non_global_ipv4_are_refused(address: str, inner: str) -> None:
    parsed = ipaddress.IPv6Address(address)
    assert embedded_ipv4(parsed) == ipaddress.IPv4Address(inner)
    assert not may_contact(parsed)


def test_loopback_forms_follow_the_loopback_setting() -> None:
    for address in ("127.0.0.1", "::1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::"):
        parsed = ipaddress.ip_address(address)
        assert not may_contact(parsed) and may_contact(parsed, allow_loopback=True)


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "2606:4700::6810:84e5", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1"],
)
def test_public_addresses_stay_allowed(address: str) -> None:
    assert may_contact(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "fd00::1", "fe80::1", "ff02::1", "224.0.0.1", "::"]
)
def test_private_link_local_multicast_and_unspecified_are_refused(address: str) -> None:
    assert not may_contact(ipaddress.ip_address(address))
