"""The demo's verifications (monitoring.verify): every filed service of the demo agency looked
up in MIIT today and the About screen of each app checked, so the service pages show their
history and the next checks fall due on the rules' cadence. One small screenshot is shared
by every row (stored once)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.access import can_edit_operator
from accounts.models import User
from compliance import tracking
from miniprograms.models import Domain, MiniProgram
from monitoring.models.verify import ServiceVerification, VerificationKind
from monitoring.verify.subjects import is_filed

SCREENSHOT = "monitoring/verifications/demo/screenshot.png"
# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8ffff3f0005fe02fea7d6a4d50000000049454e44ae426082"
)


def seed_verifications(
    manager: User, miniprograms: dict[str, MiniProgram], domains: dict[str, Domain]
) -> None:
    if not default_storage.exists(SCREENSHOT):
        default_storage.save(SCREENSHOT, ContentFile(PNG))
    today = timezone.localdate()
    rows: list[ServiceVerification] = []
    services: list[tuple[str, MiniProgram | Domain]] = [*miniprograms.items(), *domains.items()]
    for _key, service in services:
        service.refresh_from_db()  # the filings have given some of them their number since
        if not is_filed(service) or not can_edit_operator(manager, service.operator):
            continue
        kinds = [VerificationKind.MIIT_LOOKUP]
        if isinstance(service, MiniProgram):
            kinds.append(VerificationKind.ABOUT_SCREEN)
        for kind in kinds:
            rows.append(
                ServiceVerification(
                    operator=service.operator,
                    miniprogram=service if isinstance(service, MiniProgram) else None,
                    domain=service if isinstance(service, Domain) else None,
                    kind=kind,
                    number=service.icp_number,
                    verified_on=today,
                    note="演示截图",
                    screenshot=SCREENSHOT,
                    original_name="screenshot.png",
                    content_type="image/png",
                    size=len(PNG),
                    created_by=manager,
                )
            )
    for row in rows:
        row.sync_organization()
        row.save()
    tracking.operators_changed({row.operator_id for row in rows})
