from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .factories import PNG_BYTES


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def png():
    def make(name: str = "about.png", content: bytes = PNG_BYTES) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="image/png")

    return make


@pytest.fixture
def app(operator):
    """A filed app of `operator` (approved 2026-01-05, Beijing)."""
    import datetime

    from miniprograms.models import ServiceKind
    from tests.compliance.helpers import approve, at_beijing
    from tests.factories import MiniProgramFactory

    mp = MiniProgramFactory(operator=operator, name="测试助手", kind=ServiceKind.APP)
    # in the register since before its approval
    type(mp).objects.filter(pk=mp.pk).update(created_at=at_beijing(datetime.date(2025, 12, 1)))
    approve(miniprogram=mp, on=at_beijing(datetime.date(2026, 1, 5)))
    mp.icp_number = "粤ICP备2024000001号-1A"
    mp.save(update_fields=["icp_number"])
    return mp


@pytest.fixture
def other_app(other_operator):
    from tests.factories import MiniProgramFactory

    return MiniProgramFactory(operator=other_operator, icp_number="粤ICP备2024000002号-1A")
