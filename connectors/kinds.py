"""The connector kinds this installation offers: importing each registers it."""

from .tencent import kind as _tencent  # noqa: F401
from .wechat import kind as _wechat  # noqa: F401
