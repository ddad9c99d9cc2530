import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Stored reports and uploads go to a temporary directory, never the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
