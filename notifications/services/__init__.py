"""Services of the reminder pipeline and of the user's inbox (style.md §2, §6)."""

from .digests import digest_send, digest_user_ids
from .inbox import (
    calendar_feed_regenerate,
    calendar_feed_revoke,
    calendar_feed_user,
    notification_acknowledge,
    notification_acknowledge_many,
    notification_mark_read,
    preference_for,
    preference_update,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
)
from .ladders import ladder_delete, ladder_save
from .pipeline import (
    Claimed,
    Enqueue,
    delivery_send,
    reminder_dispatch,
    reminder_is_relevant,
    reminder_send,
)
from .plan import RELEVANT_STATUSES, PlanResult, reminder_plan, reminder_resync, sweep_plan
from .sweep import InlineEnqueue, SweepReport, sweep_now_for, sweep_run_inline

__all__ = [
    "RELEVANT_STATUSES",
    "Claimed",
    "Enqueue",
    "InlineEnqueue",
    "PlanResult",
    "SweepReport",
    "calendar_feed_regenerate",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "delivery_send",
    "digest_send",
    "digest_user_ids",
    "ladder_delete",
    "ladder_save",
    "notification_acknowledge",
    "notification_acknowledge_many",
    "notification_mark_read",
    "preference_for",
    "preference_update",
    "reminder_dispatch",
    "reminder_is_relevant",
    "reminder_plan",
    "reminder_resync",
    "reminder_send",
    "sweep_now_for",
    "sweep_plan",
    "sweep_run_inline",
    "webhook_endpoint_create",
    "webhook_endpoint_delete",
    "webhook_endpoint_update",
]
