"""The demo's provider notice (monitoring.notices): Alibaba Cloud's accuracy check of one filed
site, due in 20 hours, so the worklist's Today block and the hour ladder have something to show."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.access import can_edit_operator
from accounts.models import User
from miniprograms.models import Domain
from monitoring.models.notices import NoticeProvider
from monitoring.notices.services import notice_record


def seed_notices(manager: User, domains: dict[str, Domain]) -> None:
    now = timezone.now()
    for domain in domains.values():
        domain.refresh_from_db()  # the filings have given some of them their number since
        if domain.icp_number and can_edit_operator(manager, domain.operator):
            notice_record(
                user=manager,
                service=domain,
                provider=NoticeProvider.ALIBABA,
                received_at=now - datetime.timedelta(hours=4),
                deadline_at=now + datetime.timedelta(hours=20),
                fields_to_fix=["网站负责人手机号", "网站名称"],
                note="阿里云备案信息核查邮件：请在截止时间前修改，逾期将取消接入。",
            )
            return
