"""factory_boy factories. Organization consistency flows from the operator (SubFactory)."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory
from stdnum.cn import ric, uscc

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from core import pii
from filings.models import FilingApplication, FilingChannel, FilingKind, FilingStatus
from miniprograms.models import (
    Domain,
    EntityType,
    Lifecycle,
    MiniProgram,
    Operator,
    PersonRole,
    Platform,
    ResponsiblePerson,
)


def valid_uscc(n: int) -> str:
    body = f"91440300{n:08d}M"
    return body + uscc.calc_check_digit(body)


def valid_ric(n: int, region: str = "110105", birth: str = "19850315") -> str:
    body = f"{region}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"代理机构{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganizationKind.AGENCY


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        # factory_boy passes the created user as the first argument.
        if create:
            self.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MANAGER


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


class FilingFactory(DjangoModelFactory[FilingApplication]):
    class Meta:
        model = FilingApplication

    miniprogram = factory.SubFactory(MiniProgramFactory)
    operator = factory.SelfAttribute("miniprogram.operator")
    organization = factory.SelfAttribute("operator.organization")
    kind = FilingKind.NEW_FILING
    channel = FilingChannel.WECHAT
    status = FilingStatus.DRAFT


def make_notification(user, operator, *, title: str = "域名即将到期", n: int = 0):
    """An in-app notification as the reminder pipeline leaves it (reminder → delivery → row)."""
    from django.utils import timezone

    from notifications.models import Delivery, Notification, Reminder

    reminder = Reminder.objects.create(
        organization=operator.organization,
        operator=operator,
        subject_type="domain",
        subject_id=100 + n,
        subject_name="example.cn",
        rule="domain_expiry",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        step="before:14",
        kind="reminder",
        item_status="due_soon",
        due_at=timezone.now(),
        status="sent",
    )
    delivery = Delivery.objects.create(
        reminder=reminder,
        channel="in_app",
        recipient_key=f"user:{user.pk}",
        user=user,
        language="en",
    )
    return Notification.objects.create(
        user=user,
        organization=operator.organization,
        delivery=delivery,
        reminder=reminder,
        kind="reminder",
        title=title,
        body="Renew the domain within 14 days.",
    )
