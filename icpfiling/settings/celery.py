"""Celery: the broker, limits and the periodic schedule.

Redis when REDIS_URL is set; otherwise a filesystem broker under var/celery/, so the embedded
default runs a real worker and beat with no server at all. Its folders are created when the
apps are ready (core.apps), never when this module is imported.
"""

from pathlib import Path

from celery.schedules import crontab

from .environment import VAR_DIR, env
from .i18n import TIME_ZONE

# Broker URL; empty: the filesystem broker below.
REDIS_URL = env("REDIS_URL", default="")
# Root of the filesystem broker's folders (messages, processed messages, exchange table).
CELERY_DATA_DIR = Path(env("CELERY_DATA_DIR", default=str(VAR_DIR / "celery")))
# Options of the broker's transport: Redis takes numbers, the filesystem broker folder paths.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, int | str]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than any task's hard time limit, so a running task is never redelivered.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    # Every folder under CELERY_DATA_DIR: kombu's default control folder is ./control, in
    # whatever directory the process was started from.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "out"),
        "data_folder_out": str(CELERY_DATA_DIR / "out"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# No result backend: tasks write their outcome to the database.
CELERY_TASK_IGNORE_RESULT = True
# Hard and soft limits of any task, in seconds.
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
# One message at a time per worker process: long PDF renders do not hold short sends back.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # https://crontab.guru/#*/15_*_*_*_* — compliance rows whose next change has come.
    "compliance-advance": {
        "task": "compliance.advance",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # https://crontab.guru/#30_2_*_*_* — nightly: every operator re-evaluated, drift logged.
    "compliance-reconcile": {
        "task": "compliance.reconcile",
        "schedule": crontab(minute=30, hour=2),
        "options": {"expires": 3 * 60 * 60},
    },
    # https://crontab.guru/#7_*_*_*_* — hourly: plan reminders from the compliance sweep.
    "compliance-sweep": {
        "task": "notifications.plan",
        "schedule": crontab(minute=7),
        "options": {"expires": 50 * 60},
    },
    # https://crontab.guru/#*/5_*_*_*_* — claim due reminders and fan out sends.
    "notifications-dispatch": {
        "task": "notifications.dispatch",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # https://crontab.guru/#*/5_*_*_*_* — imports stored while the broker was down.
    "imports-sweep": {
        "task": "imports.sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # https://crontab.guru/#15_3_*_*_* — nightly: delete what is kept past its time.
    "core-purge": {
        "task": "core.purge",
        "schedule": crontab(minute=15, hour=3),
        "options": {"expires": 3 * 60 * 60},
    },
    # https://crontab.guru/#*/5_*_*_*_* — report runs whose message was lost, queued again.
    "reports-requeue": {
        "task": "reports.requeue_stale",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # https://crontab.guru/#0_9_*_*_* — daily digest at 09:00 Beijing time.
    "notifications-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=9),
        "options": {"expires": 3 * 60 * 60},
    },
    # https://crontab.guru/#23_*_*_*_* — hourly: queue display checks of the sites due.
    "monitoring-display-sweep": {
        "task": "monitoring.display_sweep",
        "schedule": crontab(minute=23),
        "options": {"expires": 50 * 60},
    },
    # https://crontab.guru/#*/5_*_*_*_* — provider notices: missed deadlines cancel access,
    # hour reminders of deadlines within 25 hours re-planned.
    "monitoring-notices-tick": {
        "task": "monitoring.notices_tick",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # https://crontab.guru/#40_4_*_*_* — daily: MIIT lookups due (only with the http backend).
    "monitoring-miit-lookup-sweep": {
        "task": "monitoring.miit_lookup_sweep",
        "schedule": crontab(minute=40, hour=4),
        "options": {"expires": 3 * 60 * 60},
    },
    # https://crontab.guru/#*/5_*_*_*_* — connector accounts whose next sync has come.
    "connectors-sweep": {
        "task": "connectors.sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # https://crontab.guru/#*/15_*_*_*_* — face-verification tasks: expire and poll pending ones.
    "connectors-face-tasks": {
        "task": "connectors.face_tasks_tick",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
}
