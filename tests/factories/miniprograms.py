"""Factories for the register. Organization consistency flows from the operator (SubFactory)."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from core import pii
from miniprograms.models import (
    Domain,
    EntityType,
    IcpLicence,
    Lifecycle,
    MiniProgram,
    Operator,
    PersonRole,
    Platform,
    PreApproval,
    Province,
    ResponsiblePerson,
    TopLevelDomain,
)

from .accounts import OrganizationFactory
from .base import valid_ric, valid_uscc


class ProvinceFactory(DjangoModelFactory[Province]):
    """Reference data seeded by a migration: returns the seeded row for a known code."""

    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "440000"
    name_zh = "广东省"
    name_en = "Guangdong"
    icp_chars = "粤"
    authority_zh = "广东省通信管理局"


class TopLevelDomainFactory(DjangoModelFactory[TopLevelDomain]):
    """Reference data seeded by a migration: returns the seeded row for a known name."""

    class Meta:
        model = TopLevelDomain
        django_get_or_create = ("name",)

    name = "cn"
    status = "approved"


class OperatorFactory(DjangoModelFactory[Operator]):
    class Meta:
        model = Operator

    organization = factory.SubFactory(OrganizationFactory)
    name_zh = factory.Sequence(lambda n: f"测试网络科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Test Network {n}")
    entity_type = EntityType.ENTERPRISE
    uscc = factory.Sequence(valid_uscc)
    province_id = "440000"


class MiniProgramFactory(DjangoModelFactory[MiniProgram]):
    class Meta:
        model = MiniProgram

    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")
    name = factory.Sequence(lambda n: f"小程序{n}")
    platform = Platform.WECHAT
    appid = factory.Sequence(lambda n: f"wx{n:016x}")
    launch_date = datetime.date(2022, 6, 1)
    lifecycle = Lifecycle.LIVE


class DomainFactory(DjangoModelFactory[Domain]):
    class Meta:
        model = Domain

    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")
    name = factory.Sequence(lambda n: f"example{n}.cn")
    tld_id = "cn"
    registrant_name = factory.SelfAttribute("operator.name_zh")
    expires_on = datetime.date(2030, 1, 1)


class PersonFactory(DjangoModelFactory[ResponsiblePerson]):
    class Meta:
        model = ResponsiblePerson
        exclude = ["id_number"]

    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")
    role = PersonRole.ENTITY
    name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.Sequence(valid_ric)
    id_number_encrypted = factory.LazyAttribute(lambda p: pii.encrypt(p.id_number))
    id_number_hash = factory.LazyAttribute(lambda p: pii.blind_index(p.id_number))
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class PreApprovalFactory(DjangoModelFactory[PreApproval]):
    class Meta:
        model = PreApproval

    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")
    category = "新闻"
    authority = "广东省委网信办"
    licence_number = factory.Sequence(lambda n: f"粤网信前审〔2024〕{n}号")
    expires_on = datetime.date(2030, 1, 1)


class IcpLicenceFactory(DjangoModelFactory[IcpLicence]):
    class Meta:
        model = IcpLicence

    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")
    number = factory.Sequence(lambda n: f"粤B2-2024{n:04d}")
    issued_on = datetime.date(2024, 3, 1)
    expires_on = datetime.date(2029, 3, 1)
