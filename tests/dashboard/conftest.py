"""Fixtures for the dashboard pages: logged-in clients and a small register per tenant."""

from __future__ import annotations

import pytest

from tests.factories import DomainFactory, FilingFactory, MiniProgramFactory, PersonFactory


@pytest.fixture
def register(operator):
    """One operator's services, person and a draft application, in `org`."""
    mp = MiniProgramFactory(operator=operator, name="鹏程商城")
    dom = DomainFactory(operator=operator, name="pengcheng-test.cn")
    person = PersonFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp)
    return {
        "operator": operator,
        "miniprogram": mp,
        "domain": dom,
        "person": person,
        "filing": filing,
    }


@pytest.fixture
def other_register(other_operator):
    mp = MiniProgramFactory(operator=other_operator, name="别家小程序")
    dom = DomainFactory(operator=other_operator, name="other-test.cn")
    filing = FilingFactory(miniprogram=mp)
    return {"operator": other_operator, "miniprogram": mp, "domain": dom, "filing": filing}
