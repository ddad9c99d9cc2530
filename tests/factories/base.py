"""Helpers shared by the factories: valid identifiers with correct check digits."""

from __future__ import annotations

from stdnum.cn import ric, uscc


def valid_uscc(n: int) -> str:
    """A unified social credit code (GB 32100) with a correct check character."""
    body = f"91440300{n:08d}M"
    return body + uscc.calc_check_digit(body)


def valid_ric(n: int, region: str = "110105", birth: str = "19850315") -> str:
    """A resident ID number (GB 11643) with a correct check digit."""
    body = f"{region}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")
