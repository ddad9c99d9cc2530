"""Organizations, users, operators, people, mini-programs, licences and domains."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import Membership, Organization, OrganizationKind, Role, User
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
)
from monitoring.models import MonitoringSettings

from .common import CLIENTS, DEMO_PASSWORD, days_ago, days_ahead, make_ric, make_uscc
from .connectors import seed_connectors
from .verify import seed_verifications


class DemoRegister:
    if TYPE_CHECKING:
        # Mixed into the seed_demo command beside DemoFilings, which provides it.
        def _filings(self, admin, manager, ops, mp, dom) -> None: ...

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
        seed_verifications(manager, mp, dom)
        seed_connectors(agency, manager)
        # The demo's sites are made up and may belong to someone: the display checker never
        # fetches them (a manager can switch it on on the monitoring page).
        for organization_id in {d.organization_id for d in dom.values()}:
            MonitoringSettings.objects.update_or_create(
                organization_id=organization_id, defaults={"display_enabled": False}
            )
        return True

    def _miniprograms(self, admin, ops, rival_op, yefeng) -> dict[str, MiniProgram]:
        specs = [
            (
                "shop",
                ops["pengcheng"],
                "鹏程商城",
                Platform.WECHAT,
                "wx1a2b3c4d5e6f7081",
                datetime.date(2022, 5, 10),  # before 2023-09-01: an "existing" mini-program
                Lifecycle.LIVE,
            ),
            (
                "member",
                ops["pengcheng"],
                "鹏程会员",
                Platform.ALIPAY,
                "2021004123456789",
                days_ahead(30),  # planned launch: file before it
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
                days_ago(12),  # launched without a filing: overdue by 12 days
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
                days_ahead(60),
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
                days_ago(45),
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
                # Filed sites have been live for a while; the others went live recently,
                # so their public-security filing (30 days after going live) is just due.
                live_since=days_ago(500) if number else days_ago(25 + len(name) % 10),
                # Filed sites show their public-security number too (domain.md §7).
                psb_number="粤公网安备44030502000123号" if number else "",
                psb_filed_on=days_ago(480) if number else None,
            )
        return result
