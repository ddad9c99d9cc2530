"""Generated operators in bulk, for benchmarks and a feel of a large agency."""

from __future__ import annotations

import datetime
import random

from django.core.management.base import OutputWrapper

from accounts.models import Organization, OrganizationKind
from core import pii
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
from monitoring.models import MonitoringSettings

from .common import CLIENTS, days_ahead, make_ric, make_uscc


class DemoScale:
    stdout: OutputWrapper  # the seed_demo command's output (BaseCommand)

    def _scale(self, count: int) -> None:
        """Bulk-create generated operators with one mini-program and one domain each."""
        org, _ = Organization.objects.get_or_create(
            slug="scale-agency", defaults={"name": "规模测试代理", "kind": OrganizationKind.AGENCY}
        )
        # Generated sites: the display checker never fetches them.
        MonitoringSettings.objects.update_or_create(
            organization=org, defaults={"display_enabled": False}
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
            for op in ops:
                op.set_name_keys()  # bulk_create skips save()
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
