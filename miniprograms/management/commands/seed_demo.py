"""Load a realistic demo portfolio. Idempotent: a second run adds nothing.

`--scale N` adds N generated operators (with a mini-program and a domain each) through bulk
writes, for benchmarks and for a feel of a large agency.
"""

from __future__ import annotations

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from core import pii
from filings import services as filing_services
from filings.models import FilingApplication, FilingStatusChange
from filings.workflow import Channel, FilingKind, FilingStatus
from miniprograms import services
from miniprograms.models import (
    Domain,
    EntityType,
    Lifecycle,
    MiniProgram,
    Operator,
    PersonRole,
    Platform,
    RealNameStatus,
    ResponsiblePerson,
)

DEMO_PASSWORD = "demo-pass-2024"  # noqa: S105 - printed on purpose, demo data only
S = FilingStatus


def make_uscc(seed: int) -> str:
    body = f"91{440300 + seed % 100:06d}{seed:08d}"[:16] + "M"
    return body + uscc.calc_check_digit(body)


def make_ric(region: str, birth: str, seq: int) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def days_ahead(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# (key, name_zh, name_en, province, entity_number or "")
CLIENTS = [
    (
        "pengcheng",
        "深圳市鹏程网络科技有限公司",
        "Shenzhen Pengcheng Network Technology",
        "440000",
        "粤ICP备2024286477号",
    ),
    ("xihu", "杭州西湖数据有限公司", "Hangzhou Xihu Data", "330000", ""),
    (
        "changcheng",
        "北京长城教育咨询有限公司",
        "Beijing Changcheng Education Consulting",
        "110000",
        "",
    ),
    (
        "tianfu",
        "成都天府文旅发展有限公司",
        "Chengdu Tianfu Culture & Tourism",
        "510000",
        "蜀ICP备2023012345号",
    ),
    ("pujiang", "上海浦江物流有限公司", "Shanghai Pujiang Logistics", "310000", ""),
    ("jiangcheng", "武汉江城医药连锁有限公司", "Wuhan Jiangcheng Pharmacy Chain", "420000", ""),
]


class Command(BaseCommand):
    help = "Load the demo portfolio (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="extra generated operators")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, scale: int, quiet: bool, **options):
        with transaction.atomic():
            created = self._demo()
        if scale:
            self._scale(scale)
        if not quiet:
            self.stdout.write(
                ("Demo data loaded." if created else "Demo data already present; nothing added.")
                + f"\nLogins (password for all: {DEMO_PASSWORD}):\n"
                + "  admin            superuser, Django admin at /admin/\n"
                + "  agency_manager   manager of the demo agency (all clients)\n"
                + "  agency_staff     editor limited to two assigned clients\n"
                + "  agency_viewer    read-only, whole agency\n"
                + "  client_officer   compliance officer of 深圳市鹏程网络科技有限公司, read-only\n"
                + "  rival_manager    manager of another agency (sees none of the above)\n"
            )

    # -- users and organizations -------------------------------------------------------------
    def _user(self, username: str, **extra) -> User:
        user, made = User.objects.get_or_create(username=username, defaults=extra)
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _demo(self) -> bool:
        if Organization.objects.filter(slug="demo-agency").exists():
            return False
        admin = self._user("admin", is_staff=True, is_superuser=True, email="admin@example.com")
        agency = Organization.objects.create(
            name="云桥备案服务（演示）", slug="demo-agency", kind=OrganizationKind.AGENCY
        )
        rival = Organization.objects.create(
            name="另一家代理机构（演示）", slug="rival-agency", kind=OrganizationKind.AGENCY
        )
        inhouse = Organization.objects.create(
            name="海南椰风旅游集团合规部", slug="yefeng-inhouse", kind=OrganizationKind.IN_HOUSE
        )
        manager = self._user("agency_manager", email="manager@example.com", first_name="王")
        staff = self._user("agency_staff", email="staff@example.com", first_name="陈")
        viewer = self._user("agency_viewer", email="viewer@example.com")
        client = self._user("client_officer", email="officer@example.com", language="zh-hans")
        rival_mgr = self._user("rival_manager", email="rival@example.com")
        Membership.objects.create(user=manager, organization=agency, role=Role.MANAGER)
        m_staff = Membership.objects.create(
            user=staff, organization=agency, role=Role.EDITOR, limited_to_assigned=True
        )
        Membership.objects.create(user=viewer, organization=agency, role=Role.VIEWER)
        m_client = Membership.objects.create(
            user=client, organization=agency, role=Role.CLIENT, limited_to_assigned=True
        )
        Membership.objects.create(user=rival_mgr, organization=rival, role=Role.MANAGER)
        Membership.objects.create(user=manager, organization=inhouse, role=Role.VIEWER)

        ops: dict[str, Operator] = {}
        for i, (key, zh, en, prov, entity) in enumerate(CLIENTS, start=1):
            ops[key] = services.operator_create(
                user=admin,
                organization_id=agency.pk,
                name_zh=zh,
                name_en=en,
                entity_type=EntityType.ENTERPRISE,
                uscc=make_uscc(1000 + i),
                province=prov,
                address=f"{zh[:3]}示例路{i}号",
                entity_number=entity,
            )
        ops["liming"] = services.operator_create(
            user=admin,
            organization_id=agency.pk,
            name_zh="李明",
            name_en="Li Ming",
            entity_type=EntityType.INDIVIDUAL,
            uscc="",
            province="610000",
            address="西安市雁塔区示例路8号",
        )
        rival_op = services.operator_create(
            user=admin,
            organization_id=rival.pk,
            name_zh="广州白云餐饮管理有限公司",
            name_en="Guangzhou Baiyun Catering",
            entity_type=EntityType.ENTERPRISE,
            uscc=make_uscc(2001),
            province="440000",
        )
        yefeng = services.operator_create(
            user=admin,
            organization_id=inhouse.pk,
            name_zh="海南椰风旅游集团有限公司",
            name_en="Hainan Yefeng Tourism Group",
            entity_type=EntityType.ENTERPRISE,
            uscc=make_uscc(3001),
            province="460000",
            entity_number="琼ICP备2026012322号",
        )
        m_staff.operators.set([ops["pengcheng"], ops["xihu"]])
        m_client.operators.set([ops["pengcheng"]])

        for n, (key, op) in enumerate(ops.items(), start=1):
            services.person_create(
                user=admin,
                operator=op,
                role=PersonRole.ENTITY,
                name=f"{op.name_zh[:1]}负责人",
                id_number=make_ric("110105", "19800101", 100 + n),
                mobile=f"139{n:08d}",
                email=f"{key}@example.com",
                # One ID expires soon: it will force a change filing.
                id_expires_on=days_ahead(20) if key == "xihu" else days_ahead(2000),
            )

        mp = self._miniprograms(admin, ops, rival_op, yefeng)
        dom = self._domains(admin, ops, rival_op)
        self._filings(admin, manager, ops, mp, dom)
        return True

    def _miniprograms(self, admin, ops, rival_op, yefeng) -> dict[str, MiniProgram]:
        specs = [
            (
                "shop",
                ops["pengcheng"],
                "鹏程商城",
                Platform.WECHAT,
                "wx1a2b3c4d5e6f7081",
                datetime.date(2022, 5, 10),
                Lifecycle.LIVE,
            ),
            (
                "member",
                ops["pengcheng"],
                "鹏程会员",
                Platform.ALIPAY,
                "2021004123456789",
                datetime.date(2024, 2, 1),
                Lifecycle.IN_DEVELOPMENT,
            ),
            (
                "guide",
                ops["xihu"],
                "西湖导览",
                Platform.WECHAT,
                "wx0f1e2d3c4b5a6978",
                datetime.date(2021, 3, 15),
                Lifecycle.LIVE,
            ),
            (
                "course",
                ops["changcheng"],
                "长城课堂",
                Platform.WECHAT,
                "wx9a8b7c6d5e4f3021",
                datetime.date(2023, 10, 1),
                Lifecycle.LIVE,
            ),
            (
                "ticket",
                ops["tianfu"],
                "天府票务",
                Platform.DOUYIN,
                "tt0a1b2c3d4e5f6g7h",
                None,
                Lifecycle.IN_DEVELOPMENT,
            ),
            (
                "track",
                ops["pujiang"],
                "浦江查件",
                Platform.WECHAT,
                "wx1111222233334444",
                datetime.date(2023, 6, 1),
                Lifecycle.LIVE,
            ),
            (
                "pharmacy",
                ops["jiangcheng"],
                "江城药房",
                Platform.WECHAT,
                "wx5555666677778888",
                datetime.date(2024, 9, 1),
                Lifecycle.IN_DEVELOPMENT,
            ),
            (
                "menu",
                rival_op,
                "白云点餐",
                Platform.WECHAT,
                "wxabcdefabcdef0001",
                datetime.date(2022, 1, 1),
                Lifecycle.LIVE,
            ),
            (
                "island",
                yefeng,
                "椰风旅行",
                Platform.BAIDU,
                "yefeng-travel",
                datetime.date(2025, 4, 1),
                Lifecycle.LIVE,
            ),
        ]
        result = {}
        for key, op, name, platform, appid, launch, life in specs:
            result[key] = services.miniprogram_create(
                user=admin,
                operator=op,
                name=name,
                platform=platform,
                appid=appid,
                launch_date=launch,
                lifecycle=life,
                content_category="生活服务",
            )
        services.preapproval_create(
            user=admin,
            operator=ops["jiangcheng"],
            miniprogram=result["pharmacy"],
            category="药品和医疗器械",
            authority="湖北省药品监督管理局",
            licence_number="(鄂)-非经营性-2022-0088",
            expires_on=days_ahead(45),
        )
        # A commercial licence close to its 90-day renewal point, last year's report missing.
        services.licence_create(
            user=admin,
            operator=ops["pengcheng"],
            number="粤B2-20210458",
            scope="B25 信息服务业务（仅限互联网信息服务）",
            issued_on=days_ago(5 * 365 - 100),
            expires_on=days_ahead(100),
            last_annual_report_year=timezone.localdate().year - 2,
        )
        return result

    def _domains(self, admin, ops, rival_op) -> dict[str, Domain]:
        specs = [
            (
                "pc",
                ops["pengcheng"],
                "pengcheng-demo.cn",
                days_ahead(400),
                RealNameStatus.VERIFIED,
                "",
                "粤ICP备2024286477号-1",
            ),
            ("xihu", ops["xihu"], "xihu-data.com", days_ahead(40), RealNameStatus.VERIFIED, "", ""),
            (
                "idn",
                ops["changcheng"],
                "长城课堂.中国",
                days_ahead(300),
                RealNameStatus.PENDING,
                "",
                "",
            ),
            (
                "travel",
                ops["tianfu"],
                "tianfu-wenlv.travel",
                days_ahead(200),
                RealNameStatus.VERIFIED,
                "",
                "",
            ),
            (
                "wl",
                ops["pujiang"],
                "pujiang56.net",
                days_ago(10),
                RealNameStatus.VERIFIED,
                "浦江货运代理有限公司",
                "",
            ),
            (
                "rival",
                rival_op,
                "baiyun-canyin.cn",
                days_ahead(100),
                RealNameStatus.VERIFIED,
                "",
                "",
            ),
        ]
        result = {}
        for key, op, name, expires, real, registrant, number in specs:
            result[key] = services.domain_create(
                user=admin,
                operator=op,
                name=name,
                expires_on=expires,
                real_name_status=real,
                registrant_name=registrant or op.name_zh,
                registrar="阿里云计算有限公司",
                site_name=f"{op.name_zh[:4]}官网",
                icp_number=number,
                live_since=days_ago(500),
                # Filed sites show their public-security number too (domain.md §7).
                psb_number="粤公网安备44030502000123号" if number else "",
                psb_filed_on=days_ago(480) if number else None,
            )
        return result

    def _filings(self, admin, manager, ops, mp, dom) -> None:
        def run(
            op, path, *, channel, subject=None, kind=FilingKind.NEW_FILING, age_days=0, **final
        ):
            f = filing_services.filing_create(
                user=admin,
                operator=op,
                kind=kind,
                channel=channel,
                miniprogram=subject if isinstance(subject, MiniProgram) else None,
                domain=subject if isinstance(subject, Domain) else None,
            )
            for step in path:
                extra = final if step == path[-1] else {}
                filing_services.filing_transition(
                    filing_id=f.pk, to_status=step, actor=manager, **extra
                )
            if age_days:
                # Backdate the demo history so SLA and "stuck" views have something to show.
                when = timezone.now() - datetime.timedelta(days=age_days)
                FilingStatusChange.objects.filter(filing=f).update(created_at=when)
                FilingApplication.objects.filter(pk=f.pk).update(status_entered_at=when)
            return f

        review = [S.PROVIDER_REVIEW, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW]
        run(
            ops["pengcheng"],
            [*review, S.APPROVED],
            channel=Channel.WECHAT,
            subject=mp["shop"],
            age_days=600,
            icp_number="粤ICP备2024286477号-2X",
        )
        run(ops["pengcheng"], review, channel=Channel.ALIPAY, subject=mp["member"], age_days=26)
        run(
            ops["xihu"],
            [S.PROVIDER_REVIEW, S.SMS_VERIFICATION],
            channel=Channel.WECHAT,
            subject=mp["guide"],
            age_days=1,
        )
        run(
            ops["changcheng"],
            [S.PROVIDER_REVIEW, S.PROVIDER_REJECTED],
            channel=Channel.WECHAT,
            subject=mp["course"],
            age_days=3,
            note="初审驳回",
            reasons=[
                {
                    "field": "service_name",
                    "error": "名称含“中国”字样",
                    "suggestion": "删除“中国”或提供批准文件",
                },
                {
                    "field": "id_card_back",
                    "error": "身份证背面照片模糊",
                    "suggestion": "重新拍摄清晰照片",
                },
            ],
        )
        run(ops["tianfu"], [], channel=Channel.DOUYIN, subject=mp["ticket"])
        run(
            ops["pujiang"],
            [*review, S.AUTHORITY_REJECTED],
            channel=Channel.ALIBABA_CLOUD,
            subject=dom["wl"],
            age_days=8,
            reasons=[
                {
                    "field": "domain",
                    "error": "域名持有者与主办单位不一致",
                    "suggestion": "先将域名过户至主办单位",
                }
            ],
        )
        run(
            ops["jiangcheng"],
            [S.WITHDRAWN],
            channel=Channel.TENCENT_CLOUD,
            subject=mp["pharmacy"],
            age_days=40,
        )
        run(
            ops["jiangcheng"],
            [S.PROVIDER_REVIEW],
            channel=Channel.TENCENT_CLOUD,
            subject=mp["pharmacy"],
            age_days=2,
        )
        run(
            ops["tianfu"],
            [*review, S.APPROVED],
            channel=Channel.HUAWEI_CLOUD,
            subject=dom["travel"],
            age_days=300,
            icp_number="蜀ICP备2023012345号-1",
        )

    # -- scale ---------------------------------------------------------------------------------
    def _scale(self, count: int) -> None:
        """Bulk-create generated operators with one mini-program and one domain each."""
        org, _ = Organization.objects.get_or_create(
            slug="scale-agency", defaults={"name": "规模测试代理", "kind": OrganizationKind.AGENCY}
        )
        rng = random.Random(42)  # noqa: S311 - deterministic, so re-runs hit the same unique keys
        provinces = [c[3] for c in CLIENTS]
        start = Operator.objects.filter(organization=org).count()
        batch = 2000
        for offset in range(start, count, batch):
            n = min(batch, count - offset)
            ops = [
                Operator(
                    organization=org,
                    name_zh=f"规模测试企业{offset + i:06d}有限公司",
                    entity_type=EntityType.ENTERPRISE,
                    uscc=make_uscc(100000 + offset + i),
                    province_id=provinces[(offset + i) % len(provinces)],
                )
                for i in range(n)
            ]
            Operator.objects.bulk_create(ops, ignore_conflicts=True, batch_size=1000)
            ops = list(Operator.objects.filter(organization=org, uscc__in=[o.uscc for o in ops]))
            people, mps, doms = [], [], []
            for op in ops:
                seq = int(op.uscc[8:16])
                launch = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1500))
                mps.append(
                    MiniProgram(
                        organization=org,
                        operator=op,
                        name=f"小程序{seq}",
                        platform=Platform.WECHAT,
                        appid=f"wx{seq:016x}",
                        launch_date=launch,
                        lifecycle=Lifecycle.LIVE,
                    )
                )
                doms.append(
                    Domain(
                        organization=org,
                        operator=op,
                        name=f"scale{seq}.cn",
                        tld_id="cn",
                        expires_on=days_ahead(rng.randrange(-30, 700)),
                        real_name_status=RealNameStatus.VERIFIED,
                        registrant_name=op.name_zh,
                    )
                )
                number = make_ric("440305", "19900101", seq % 1000)
                people.append(
                    ResponsiblePerson(
                        organization=org,
                        operator=op,
                        role=PersonRole.ENTITY,
                        name="负责人",
                        id_number_encrypted=pii.encrypt(number),
                        id_number_hash=pii.blind_index(number),
                        mobile=f"138{seq % 10**8:08d}",
                        id_expires_on=days_ahead(rng.randrange(0, 3000)),
                    )
                )
            MiniProgram.objects.bulk_create(mps, ignore_conflicts=True, batch_size=1000)
            Domain.objects.bulk_create(doms, ignore_conflicts=True, batch_size=1000)
            ResponsiblePerson.objects.bulk_create(people, batch_size=1000)
        total = Operator.objects.filter(organization=org).count()
        self.stdout.write(f"Scale data: {total} operators in {org.name}.")
