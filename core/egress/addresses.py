"""Which hosts and addresses an outbound request may reach: only public ones.

Pure functions over `ipaddress`: literal forms of IPv4 that browsers and libc accept
(`2130706433`, `0x7f.1`, `0177.0.0.1`), IPv4 embedded in IPv6 (mapped, 6to4, Teredo, NAT64),
the ranges that are not public, cloud metadata addresses, and names refused without a lookup.
"""

from __future__ import annotations

import ipaddress
import re

from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Instance metadata services: refused even inside an allowed network.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, Huawei Cloud …
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.0.23",  # Tencent Cloud
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "168.63.129.16",  # Azure wire server (a public address)
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",  # AWS Route 53 resolver over IPv6
    )
)
METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.tencentyun.com",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Names that only mean something inside a site or a cluster.
LOCAL_SUFFIXES = (
    ".localhost",
    ".internal",
    ".local",
    ".localdomain",
    ".home.arpa",
    ".in-addr.arpa",
    ".ip6.arpa",
    ".svc",
)

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, Alibaba's metadata
_DOCUMENTATION = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")
)
_BENCHMARK = ipaddress.ip_network("198.18.0.0/15")
_NAT64 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")

_DEC = re.compile(r"[1-9][0-9]*")
_OCT = re.compile(r"0[0-7]*")
_HEX = re.compile(r"0[xX][0-9a-fA-F]*")


def parse_ipv4_literal(host: str) -> ipaddress.IPv4Address | None:
    """The address of an IPv4 literal in any form `inet_aton` accepts, or None if `host` is
    not one: `127.0.0.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`, `0x7f.1`."""
    parts = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if _HEX.fullmatch(part):
            numbers.append(int(part[2:] or "0", 16))
        elif _OCT.fullmatch(part):
            numbers.append(int(part, 8))
        elif _DEC.fullmatch(part):
            numbers.append(int(part))
        else:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for n in head:
        value = value << 8 | n
    return ipaddress.IPv4Address(value << 8 * (4 - len(head)) | last)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address `host` spells (IPv6 without brackets, IPv4 in any form), or None."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            return None
    return parse_ipv4_literal(host)


def embedded_ipv4(addr: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (and may be routed to)."""
    found: list[ipaddress.IPv4Address] = []
    if addr.ipv4_mapped:
        found.append(addr.ipv4_mapped)
    if addr.sixtofour:
        found.append(addr.sixtofour)
    if addr.teredo:
        found.extend(addr.teredo)
    low = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    nat64 = any(addr in net for net in _NAT64)
    compatible = addr in _IPV4_COMPATIBLE and int(addr) > 1  # not :: or ::1
    if nat64 or addr in _IPV4_TRANSLATED or compatible:
        found.append(low)
    return found


def refusal_reason(addr: IPAddress) -> str | None:
    """Why requests to `addr` are refused (a translated phrase), or None for a public address."""
    if addr in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    if isinstance(addr, ipaddress.IPv6Address):
        for inner in embedded_ipv4(addr):
            reason = refusal_reason(inner)
            if reason:
                return reason
    checks = (
        (addr.is_unspecified, _("an unspecified address")),
        (addr.is_loopback, _("a loopback address")),
        (addr.is_link_local, _("a link-local address")),
        (addr.is_multicast, _("a multicast address")),
        (addr in _SHARED, _("a shared (carrier-grade NAT) address")),
        (any(addr in net for net in _DOCUMENTATION), _("a documentation address")),
        (addr in _BENCHMARK, _("a benchmarking address")),
        (addr.is_private, _("a private address")),
        (addr.is_reserved, _("a reserved address")),
        (not addr.is_global, _("not a public address")),
    )
    for refused, reason in checks:
        if refused:
            return reason
    return None


def allowed_by_network(addr: IPAddress, networks: list[IPNetwork]) -> bool:
    """An address inside a network the deployment allows (never a metadata address)."""
    if addr in METADATA_ADDRESSES:
        return False
    return any(addr.version == net.version and addr in net for net in networks)


def name_refusal_reason(name: str) -> str | None:
    """Why a host name is refused without looking it up, or None."""
    if name in METADATA_NAMES:
        return _("a cloud metadata name")
    if name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES):
        return _("a local or internal name")
    return None
