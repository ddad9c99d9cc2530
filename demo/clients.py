"""More clients for the demo agency: a portfolio of 40+ that looks like a real agency's.

`seed_demo --clients N` adds N operators to the demo agency through the register's services
(each with an entity responsible person, a mini-program and a domain whose dates fall around
today), a third of them assigned to agency_staff. Deterministic: re-runs add nothing.
"""

from __future__ import annotations

import random

from django.core.management.base import OutputWrapper

from accounts.models import Membership, Organization, User
from miniprograms import services
from miniprograms.models import (
    EntityType,
    Lifecycle,
    Operator,
    PersonRole,
    Platform,
    RealNameStatus,
)

from .common import days_ago, days_ahead, make_ric, make_uscc

# (city, province code, pinyin for the domain): names that sort differently by code point
# and by pinyin, in every region.
CITIES = [
    ("北京", "110000", "beijing"),
    ("上海", "310000", "shanghai"),
    ("南京", "320000", "nanjing"),
    ("深圳", "440000", "shenzhen"),
    ("广州", "440000", "guangzhou"),
    ("杭州", "330000", "hangzhou"),
    ("重庆", "500000", "chongqing"),
    ("天津", "120000", "tianjin"),
    ("西安", "610000", "xian"),
    ("苏州", "320000", "suzhou"),
    ("长沙", "430000", "changsha"),
    ("郑州", "410000", "zhengzhou"),
    ("青岛", "370000", "qingdao"),
    ("厦门", "350000", "xiamen"),
    ("合肥", "340000", "hefei"),
    ("昆明", "530000", "kunming"),
    ("南宁", "450000", "nanning"),
    ("贵阳", "520000", "guiyang"),
    ("海口", "460000", "haikou"),
    ("沈阳", "210000", "shenyang"),
    ("大连", "210000", "dalian"),
    ("哈尔滨", "230000", "haerbin"),
    ("济南", "370000", "jinan"),
    ("福州", "350000", "fuzhou"),
    ("石家庄", "130000", "shijiazhuang"),
    ("太原", "140000", "taiyuan"),
    ("兰州", "620000", "lanzhou"),
    ("长春", "220000", "changchun"),
]
TRADES = [
    ("智联科技", "zhilian"),
    ("云图信息", "yuntu"),
    ("星河文化传媒", "xinghe"),
    ("和润医疗", "herun"),
    ("新程教育科技", "xincheng"),
    ("鲜果电子商务", "xianguo"),
    ("安途出行", "antu"),
    ("启明软件", "qiming"),
]
APP_WORDS = ["商城", "预约", "课堂", "出行", "会员", "点餐", "门店", "健康"]


class DemoClients:
    stdout: OutputWrapper  # the seed_demo command's output (BaseCommand)

    def _clients(self, count: int) -> int:
        """Add up to `count` generated clients to the demo agency; returns how many were new."""
        agency = Organization.objects.filter(slug="demo-agency").first()
        if agency is None:
            return 0
        admin = User.objects.get(username="admin")
        staff = Membership.objects.filter(
            organization=agency, user__username="agency_staff"
        ).first()
        rng = random.Random(44)  # noqa: S311 - deterministic demo data
        added = 0
        for n in range(count):
            city, province, city_py = CITIES[n % len(CITIES)]
            trade, trade_py = TRADES[(n * 3) % len(TRADES)]
            name = f"{city}{trade}有限公司"
            if Operator.objects.filter(organization=agency, name_zh=name).exists():
                continue
            op = services.operator_create(
                user=admin,
                organization_id=agency.pk,
                name_zh=name,
                entity_type=EntityType.ENTERPRISE,
                uscc=make_uscc(5000 + n),
                province=province,
                address=f"{city}市示例大道{n + 1}号",
            )
            services.person_create(
                user=admin,
                operator=op,
                role=PersonRole.ENTITY,
                name=f"{city[:1]}{'明华伟芳强静'[n % 6]}",
                id_number=make_ric("110105", "19850101", 300 + n),
                mobile=f"137{n:08d}",
                id_expires_on=days_ahead(rng.choice([-5, 25, 400, 1500, 3000])),
            )
            # Launched: long before the 2023 notice, recently without a filing (takedown
            # risk), or in the next weeks; a third already carry their filing number.
            launch = rng.choice([days_ago(900), days_ago(40), days_ahead(15), days_ago(500)])
            services.miniprogram_create(
                user=admin,
                operator=op,
                name=f"{city}{APP_WORDS[n % len(APP_WORDS)]}",
                platform=Platform.WECHAT,
                appid=f"wx{0x5EED0000 + n:016x}",
                launch_date=launch,
                lifecycle=Lifecycle.LIVE if launch <= days_ago(0) else Lifecycle.IN_DEVELOPMENT,
            )
            services.domain_create(
                user=admin,
                operator=op,
                name=f"{city_py}-{trade_py}{n}.cn",
                expires_on=days_ahead(rng.choice([-12, 20, 75, 300, 700])),
                real_name_status=RealNameStatus.VERIFIED,
                registrant_name=name,
            )
            if staff is not None and n % 3 == 0:
                staff.operators.add(op)
            added += 1
        self.stdout.write(f"Demo agency: {added} more clients.")
        return added
