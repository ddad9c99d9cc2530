"""Celery entry points: thin, idempotent wrappers that take ids (HackSoft, Sentry)."""

from celery import shared_task

from . import services

# Longer limits than the default 4/5 minutes: a very large portfolio can take that long on
# a busy worker. Still below the broker's visibility_timeout (1 h).
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = 21 * 60


@shared_task(
    name=services.RENDER_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_report_task(run_id: int) -> None:
    """Build and store one ReportRun. A finished run is left alone, so a redelivery is safe."""
    services.report_run_execute(run_id=run_id)


@shared_task(name="reports.requeue_stale")
def requeue_stale_reports_task() -> int:
    """Queue again the runs whose message was lost (broker down, worker died). Idempotent: a
    re-queued run waits another grace period before the next sweep takes it again."""
    return len(services.report_runs_requeue())
