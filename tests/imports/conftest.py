import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Stored reports and uploads go to a temporary directory, never the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _import_tasks_run_at_once(request):
    """The worker's part done at once (tests/conftest.py `import_tasks_run_at_once`); tests
    marked `real_queue` keep the real seam (and queue to the broker)."""
    if not request.node.get_closest_marker("real_queue"):
        request.getfixturevalue("import_tasks_run_at_once")
