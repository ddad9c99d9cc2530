import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Stored reports and uploads go to a temporary directory, never the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _import_tasks_run_at_once(request, monkeypatch):
    """The worker's part done at once, as an idle worker would: a test's transaction never
    commits, so a task queued after the commit would never run. Tests marked `real_queue`
    keep the real seam (and queue to the broker)."""
    if request.node.get_closest_marker("real_queue"):
        return
    from imports import services

    steps = {services.PREVIEW_TASK: services.import_run_preview}
    steps[services.COMMIT_TASK] = services.import_run_commit

    def run_now(task: str, run_ids: list[int]) -> None:
        for run_id in run_ids:
            steps[task](run_id=run_id)

    monkeypatch.setattr(services, "enqueue", run_now)
