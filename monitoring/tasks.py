"""The app's Celery tasks (autodiscovered here); each part keeps its own module."""

from .display.tasks import display_check_batch_task, display_check_task, display_sweep_task  # noqa: F401
from .notices.tasks import notices_tick_task  # noqa: F401
from .verify import tasks as verify_tasks  # noqa: F401
