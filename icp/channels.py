"""Filing channels and mini-program platforms: one enum per meaning, one mapping between them.

A *filing channel* is where a filing order is submitted: a mini-program platform that files on
the operator's behalf (WeChat, Alipay, Douyin) or an access provider's console (the clouds).
A *platform* is where a mini-program or app is published. Platforms that file themselves map to
the filing channel of the same name; the others file through whoever hosts the back end, so
they imply no channel. A filing channel is defined only here: its value, its label and its
family (a new channel is one member, one label and, for a platform, one mapping entry; the
model field reads `filing_channel_choices`, so no migration is needed).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .types import Text

__all__ = [
    "PLATFORM_FILING_CHANNEL",
    "ChannelFamily",
    "FilingChannel",
    "Platform",
    "channel_family",
    "filing_channel_choices",
]


class FilingChannel(StrEnum):
    """Where a filing order is submitted (stored in `FilingApplication.channel`)."""

    WECHAT = "wechat"
    ALIPAY = "alipay"
    DOUYIN = "douyin"
    ALIBABA_CLOUD = "alibaba_cloud"
    TENCENT_CLOUD = "tencent_cloud"
    HUAWEI_CLOUD = "huawei_cloud"
    BAIDU_CLOUD = "baidu_cloud"
    OTHER = "other"


FILING_CHANNEL_LABELS: Mapping[FilingChannel, Text] = MappingProxyType(
    {
        FilingChannel.WECHAT: _("WeChat"),
        FilingChannel.ALIPAY: _("Alipay"),
        FilingChannel.DOUYIN: _("Douyin"),
        FilingChannel.ALIBABA_CLOUD: _("Alibaba Cloud"),
        FilingChannel.TENCENT_CLOUD: _("Tencent Cloud"),
        FilingChannel.HUAWEI_CLOUD: _("Huawei Cloud"),
        FilingChannel.BAIDU_CLOUD: _("Baidu AI Cloud"),
        FilingChannel.OTHER: _("Other"),
    }
)


def filing_channel_choices() -> list[tuple[str, Text]]:
    """(value, label) of every filing channel, for form and model fields."""
    return [(c.value, FILING_CHANNEL_LABELS[c]) for c in FilingChannel]


class Platform(StrEnum):
    """Where a mini-program, app or quick app is published (stored in `MiniProgram.platform`)."""

    WECHAT = "wechat"
    ALIPAY = "alipay"
    DOUYIN = "douyin"
    BAIDU = "baidu"
    QQ = "qq"
    APP_STORE = "app_store"
    QUICK_APP = "quick_app"
    OTHER = "other"


class ChannelFamily(StrEnum):
    """Channels that follow the same workflow rules (see `icp.workflow`)."""

    PLATFORM = "platform"  # the publishing platform files for the operator
    CLOUD = "cloud"  # an access provider's console


#: The platforms that submit filings themselves, and the channel each one is.
PLATFORM_FILING_CHANNEL: Mapping[Platform, FilingChannel] = MappingProxyType(
    {
        Platform.WECHAT: FilingChannel.WECHAT,
        Platform.ALIPAY: FilingChannel.ALIPAY,
        Platform.DOUYIN: FilingChannel.DOUYIN,
    }
)

_PLATFORM_CHANNELS: frozenset[str] = frozenset(PLATFORM_FILING_CHANNEL.values())


def channel_family(channel: str) -> ChannelFamily:
    """PLATFORM for channels that are publishing platforms, CLOUD for every other channel."""
    return ChannelFamily.PLATFORM if channel in _PLATFORM_CHANNELS else ChannelFamily.CLOUD
