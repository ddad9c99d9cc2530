"""Outbound HTTP (core.egress): every request the application makes to another host.

The guard refuses loopback, private, link-local, shared, reserved and cloud metadata addresses.
An on-premises deployment whose receiver lives on its own network names that network here.
"""

from .environment import env

# CIDRs that outbound requests may reach although they are not public ("10.8.0.0/16").
# Metadata addresses stay refused whatever this says. Default: none.
EGRESS_ALLOW_NETWORKS: list[str] = env.list("EGRESS_ALLOW_NETWORKS", default=[])
# PEM file of the certificate authorities trusted for https; empty: certifi's bundle.
EGRESS_CA_BUNDLE = env.str("EGRESS_CA_BUNDLE", default="")
# Seconds to connect (nothing has been sent if this runs out).
EGRESS_CONNECT_TIMEOUT = env.float("EGRESS_CONNECT_TIMEOUT", default=5.0)
# Seconds to wait for the answer once the request is sent (it may have arrived).
EGRESS_READ_TIMEOUT = env.float("EGRESS_READ_TIMEOUT", default=10.0)
# An answer longer than this many bytes is refused (read no further).
EGRESS_MAX_RESPONSE_BYTES = env.int("EGRESS_MAX_RESPONSE_BYTES", default=1024 * 1024)
# Sent on every request, so a receiver knows who calls it.
EGRESS_USER_AGENT = env.str(
    "EGRESS_USER_AGENT", default="icpfiling/0.1.0 (+https://github.com/icpfiling/icpfiling)"
)
