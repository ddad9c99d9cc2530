"""Connectors: vendor filing APIs (WeChat third-party platform, Tencent Cloud).

The base URLs are settings so that a deployment behind a vendor-approved proxy, and the tests'
local fakes, can be named; each connector may reach only its base URL's host (the egress
guard's allow-list), and never an internal address unless EGRESS_ALLOW_NETWORKS says so.
"""

from .environment import env

# WeChat open platform API (third-party platform calls and mini-program filing calls).
CONNECTOR_WECHAT_API_BASE = env.str(
    "CONNECTOR_WECHAT_API_BASE", default="https://api.weixin.qq.com"
)
# Tencent Cloud filing API (`ba`, version 2020-07-20).
CONNECTOR_TENCENT_API_BASE = env.str(
    "CONNECTOR_TENCENT_API_BASE", default="https://ba.tencentcloudapi.com"
)
# How many accounts may sync at the same time (the sweep queues no more).
CONNECTOR_MAX_CONCURRENT = env.int("CONNECTOR_MAX_CONCURRENT", default=2)
# Seconds a sync holds its account; a worker that dies frees it after this.
CONNECTOR_LEASE_SECONDS = env.int("CONNECTOR_LEASE_SECONDS", default=30 * 60)
# Up to this fraction of the cadence is added at random to each next sync (spreads the load).
CONNECTOR_JITTER_FRACTION = env.float("CONNECTOR_JITTER_FRACTION", default=0.1)
# A push whose timestamp is further than this from now (seconds) is refused as stale.
CONNECTOR_PUSH_MAX_AGE = env.int("CONNECTOR_PUSH_MAX_AGE", default=300)
