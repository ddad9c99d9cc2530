"""Write a planned portfolio (bench._portfolio) with COPY, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from core import pii
from demo.common import make_ric, make_uscc
from documents.models import DocType, Document
from filings.models import FilingApplication, FilingStatusChange
from icp.workflow import FilingKind
from miniprograms.models import (
    Domain,
    EntityType,
    IcpLicence,
    IdType,
    MiniProgram,
    Operator,
    PersonRole,
    PreApproval,
    ResponsiblePerson,
)
from miniprograms.names import name_initials, name_sort_key

from ._common import ORG_SLUG, PASSWORD
from ._copy import Table
from ._portfolio import (
    EDITOR_CLIENTS,
    GIVEN,
    ID_REGIONS,
    PREAPPROVAL_CATEGORIES,
    SURNAMES,
    Client,
    Generator,
    Service,
)
from ._stories import Filing

GRANTING = (FilingKind.NEW_FILING, FilingKind.ADD_SERVICE, FilingKind.NEW_ACCESS)


class Loader:
    def __init__(self, gen: Generator, org: Organization, manager: User) -> None:
        self.gen, self.rng, self.clock = gen, gen.rng, gen.clock
        self.org_id = org.pk
        self.manager_id = manager.pk
        models = (
            Operator,
            MiniProgram,
            Domain,
            ResponsiblePerson,
            PreApproval,
            IcpLicence,
            Document,
            FilingApplication,
            FilingStatusChange,
        )
        self.t = {m: Table(m) for m in models}
        self.doc_n = 0

    def write(self, clients: list[Client], log: Callable[[str], None]) -> dict[str, int]:
        for n, client in enumerate(clients, start=1):
            self._client(client)
            if n % 1000 == 0:
                log(f"  {n} operators planned into rows")
        return {m._meta.label: table.finish() for m, table in self.t.items()}

    def _client(self, c: Client) -> None:
        rng, clock = self.rng, self.clock
        since = clock.at(clock.date_between(datetime.date(2022, 6, 1), datetime.date(2023, 6, 1)))
        name = f"{c.province.name_zh[:2]}{rng.choice('云智乐易快惠')}基准科技{c.i:06d}有限公司"
        op = self.t[Operator].add(
            organization_id=self.org_id,
            name_zh=name,
            name_sort=name_sort_key(name),
            name_initials=name_initials(name),
            name_en=f"Benchmark Technology {c.i:06d} Co., Ltd.",
            entity_type=EntityType.INDIVIDUAL if c.individual else EntityType.ENTERPRISE,
            uscc="" if c.individual else make_uscc(500_000 + c.i),
            province_id=c.province.code,
            address=f"{c.province.name_zh}基准路{c.i % 900 + 1}号",
            entity_number=c.entity_number,
            created_at=since,
            updated_at=since,
        )
        c.op_id = op
        base = {"organization_id": self.org_id, "operator_id": op}
        expires = self._person(base, PersonRole.ENTITY, {})
        self._document(base, DocType.BUSINESS_LICENCE, "营业执照", None)
        self._document(base, DocType.ENTITY_PERSON_ID, "主体负责人身份证", expires)
        if rng.random() < 0.3:
            self._document(base, DocType.COMMITMENT_LETTER, "真实性承诺书", None)
        if rng.random() < 0.1:
            self._licence(base, c)
        for svc in c.services:
            self._service(base, svc, since)

    def _service(self, base: dict, svc: Service, since: datetime.datetime) -> None:
        rng = self.rng
        model = MiniProgram if svc.kind == "mp" else Domain
        sid = self.t[model].add(
            **base, **svc.attrs, icp_number=svc.number, created_at=since, updated_at=since
        )
        subject = {"miniprogram_id": sid} if svc.kind == "mp" else {"domain_id": sid}
        if rng.random() < 0.35:
            expires = self._person(base, PersonRole.SERVICE, subject)
            if rng.random() < 0.5:
                self._document(base, DocType.SERVICE_PERSON_ID, "服务负责人身份证", expires)
        if svc.kind == "mp" and rng.random() < 0.08:
            self._preapproval(base, subject)
        for f in svc.filings:
            self._filing(base, subject, f, svc.number)

    def _filing(self, base: dict, subject: dict, f: Filing, number: str) -> None:
        filings, changes = self.t[FilingApplication], self.t[FilingStatusChange]
        fid = filings.add(
            **base,
            **subject,
            kind=f.kind,
            channel=f.channel,
            status=f.status,
            status_entered_at=f.entered,
            icp_number=number if f.approved_at and f.kind in GRANTING else "",
            planned_for=f.planned_for,
            reference=f"BR{filings.next_id:09d}" if f.steps else "",
            created_at=f.created,
            updated_at=f.entered,
        )
        previous = "draft"
        for status, at in f.steps:
            changes.add(
                filing_id=fid,
                from_status=previous,
                to_status=status,
                actor_id=self.manager_id if self.rng.random() < 0.3 else None,
                created_at=at,
            )
            previous = status

    def _person(self, base: dict, role: str, subject: dict) -> datetime.date | None:
        rng = self.rng
        birth = f"{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        number = make_ric(rng.choice(ID_REGIONS), birth, rng.randrange(1000))
        expires = None if rng.random() < 0.2 else self.clock.expiry(60)
        self.t[ResponsiblePerson].add(
            **base,
            **subject,
            role=role,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_type=IdType.RESIDENT_ID,
            id_number_encrypted=pii.encrypt(number),
            id_number_hash=pii.blind_index(number),
            id_expires_on=expires,
            mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        )
        return expires

    def _document(self, base: dict, doc_type: str, name: str, expires, **extra) -> None:
        self.doc_n += 1
        self.t[Document].add(
            **base,
            **extra,
            doc_type=doc_type,
            name=name,
            file=f"documents/{self.org_id}/{base['operator_id']}/bench{self.doc_n}.pdf",
            original_name=f"{name}.pdf",
            content_type="application/pdf",
            size=self.rng.randint(80_000, 2_000_000),
            expires_on=expires,
            uploaded_by_id=self.manager_id,
            uploaded_at=self.clock.days_before_anchor(30, 900),
        )

    def _preapproval(self, base: dict, subject: dict) -> None:
        rng = self.rng
        category = rng.choice(PREAPPROVAL_CATEGORIES)
        expires = None if rng.random() < 0.1 else self.clock.expiry(60)
        pid = self.t[PreApproval].add(
            **base,
            **subject,
            category=category,
            authority="省药品监督管理局" if category.startswith("药品") else "省新闻出版局",
            licence_number=f"PA-{self.t[PreApproval].next_id:07d}",
            expires_on=expires,
        )
        self._document(
            base, DocType.PREAPPROVAL_LICENCE, f"{category}许可证", expires, preapproval_id=pid
        )

    def _licence(self, base: dict, c: Client) -> None:
        rng, clock = self.rng, self.clock
        expires = clock.expiry(120)
        issued = expires - datetime.timedelta(days=5 * 365)
        last = rng.choices([clock.anchor.year - 1, clock.anchor.year - 2, None], [60, 30, 10])[0]
        self.t[IcpLicence].add(
            **base,
            number=f"{c.province.icp_char}B2-{issued.year}{c.i:04d}",
            scope="第二类增值电信业务中的信息服务业务",
            issued_on=issued,
            expires_on=expires,
            last_annual_report_year=last,
        )


@transaction.atomic
def load(gen: Generator, clients: list[Client], log: Callable[[str], None]) -> dict[str, int]:
    """Organization, users and memberships through the ORM; the register through COPY."""
    if Organization.objects.filter(slug=ORG_SLUG).exists():
        raise RuntimeError(
            f"{ORG_SLUG} already exists in this database: generate into a fresh one "
            "(bench/portfolio.py --database NAME --recreate)."
        )
    org = Organization.objects.create(
        slug=ORG_SLUG, name="基准测试代理有限公司", kind=OrganizationKind.AGENCY
    )
    password = make_password(PASSWORD)
    manager = User.objects.create(username="bench-manager", password=password, language="en")
    editor = User.objects.create(username="bench-editor", password=password, language="en")
    User.objects.create(username="bench-admin", password=password, is_staff=True, is_superuser=True)
    Membership.objects.create(user=manager, organization=org, role=Role.MANAGER)
    limited = Membership.objects.create(
        user=editor, organization=org, role=Role.EDITOR, limited_to_assigned=True
    )
    loader = Loader(gen, org, manager)
    counts = loader.write(clients, log)
    step = max(1, len(clients) // EDITOR_CLIENTS)
    assigned = [c.op_id for c in clients[::step][:EDITOR_CLIENTS]]
    through = Operator.assigned_memberships.through
    through.objects.bulk_create(
        [through(operator_id=op, membership_id=limited.pk) for op in assigned]
    )
    counts["editor clients"] = len(assigned)
    return counts
