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
