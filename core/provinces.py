"""Moved to `icp.provinces`. Kept only while `filings/numbers.py` still imports this path.

Delete once the number parser lives in `icp/` and imports `icp.provinces` directly.
"""

from icp.provinces import (  # noqa: F401
    PROVINCE_CHOICES,
    PROVINCES,
    Province,
    province_by_char,
    province_by_code,
)
