"""Celery entry points: thin, idempotent wrappers that take ids (HackSoft, Sentry)."""

from celery import shared_task

from . import import_services, services

# Longer limits than the default 4/5 minutes: a 50,000-row import or a very large portfolio
# can take that long on a busy worker. Still below the broker's visibility_timeout (1 h).
LIMITS = {"soft_time_limit": 20 * 60, "time_limit": 21 * 60}


@shared_task(name="reports.render", acks_late=True, reject_on_worker_lost=True, **LIMITS)
def render_report_task(run_id: int) -> None:
    """Build and store one ReportRun. A finished run is left alone, so a redelivery is safe."""
    services.report_run_execute(run_id=run_id)


@shared_task(name="reports.import_preview", acks_late=True, reject_on_worker_lost=True, **LIMITS)
def import_preview_task(run_id: int) -> None:
    """Validate an uploaded file; only a PENDING run is claimed, so a redelivery is a no-op."""
    import_services.import_run_preview(run_id=run_id)


@shared_task(name="reports.import_commit", acks_late=True, reject_on_worker_lost=True, **LIMITS)
def import_commit_task(run_id: int) -> None:
    """Import a validated file; only a QUEUED run is claimed, so a redelivery is a no-op."""
    import_services.import_run_commit(run_id=run_id)
