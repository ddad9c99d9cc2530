"""Applications in every workflow state, with backdated history for SLA views."""

from __future__ import annotations

import datetime

from django.utils import timezone

from filings import services as filing_services
from filings.models import FilingApplication, FilingChannel, FilingKind, FilingStatusChange
from miniprograms.models import (
    Domain,
    MiniProgram,
)

from .common import S

DEMO_OVERRIDE = "演示数据：该申请在录入本系统前已提交，材料未上传。"


class DemoFilings:
    def _filings(self, admin, manager, ops, mp, dom) -> None:
        def run(
            op,
            path,
            *,
            channel,
            subject=None,
            kind=FilingKind.NEW_FILING,
            age_days: float = 0,
            **final,
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
                if step == S.PROVIDER_REVIEW:
                    # The demo register has no uploads: these orders were submitted before the
                    # tracker knew them, which the timeline says (ignored when nothing is missing).
                    extra = {**extra, "readiness_override": DEMO_OVERRIDE}
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
            channel=FilingChannel.WECHAT,
            subject=mp["shop"],
            age_days=600,
            icp_number="粤ICP备2024286477号-2X",
        )
        run(
            ops["pengcheng"],
            review,
            channel=FilingChannel.ALIPAY,
            subject=mp["member"],
            age_days=26,
        )
        run(
            ops["xihu"],
            [S.PROVIDER_REVIEW, S.SMS_VERIFICATION],
            channel=FilingChannel.WECHAT,
            subject=mp["guide"],
            age_days=19 / 24,  # the 24-hour SMS window has about 5 hours left
        )
        run(
            ops["changcheng"],
            [S.PROVIDER_REVIEW, S.PROVIDER_REJECTED],
            channel=FilingChannel.WECHAT,
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
        run(ops["tianfu"], [], channel=FilingChannel.DOUYIN, subject=mp["ticket"])
        run(
            ops["pujiang"],
            [*review, S.AUTHORITY_REJECTED],
            channel=FilingChannel.ALIBABA_CLOUD,
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
            channel=FilingChannel.TENCENT_CLOUD,
            subject=mp["pharmacy"],
            age_days=40,
        )
        run(
            ops["jiangcheng"],
            [S.PROVIDER_REVIEW],
            channel=FilingChannel.TENCENT_CLOUD,
            subject=mp["pharmacy"],
            age_days=2,
        )
        run(
            ops["tianfu"],
            [*review, S.APPROVED],
            channel=FilingChannel.HUAWEI_CLOUD,
            subject=dom["travel"],
            age_days=300,
            icp_number="蜀ICP备2023012345号-1",
        )
