"""Ladders of the connector rules (issue 14): the WeChat certification annual review is
reminded 60 and 30 days before and on the day (when WeChat itself announces it),
escalated once expired; a
face-verification task by the hour before it expires (24, 4 and 1 hours), then daily while
overdue, escalated."""

from django.db import migrations

LADDERS = {
    "wechat_certification_review": {
        "offsets": [60, 30, 0],
        "hour_offsets": [],
        "overdue_every_days": 7,
        "escalate_when_overdue": True,
        # A 60-day notice left unacknowledged is no emergency: managers hear of it once the
        # certification has expired, not 3 days after the first notice.
        "escalate_unacknowledged_after_days": None,
        "roles": ["manager", "editor", "client"],
    },
    "face_verification": {
        "offsets": [],
        "hour_offsets": [24, 4, 1],
        "overdue_every_days": 1,
        "escalate_when_overdue": True,
        "escalate_unacknowledged_after_days": 1,
        "roles": ["manager", "editor", "client"],
    },
}


def seed(apps, schema_editor):
    ReminderLadder = apps.get_model("notifications", "ReminderLadder")
    for rule, defaults in LADDERS.items():
        ReminderLadder.objects.get_or_create(organization=None, rule=rule, defaults=defaults)


def unseed(apps, schema_editor):
    apps.get_model("notifications", "ReminderLadder").objects.filter(
        organization=None, rule__in=list(LADDERS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0011_ladder_hour_offsets")]
    operations = [migrations.RunPython(seed, unseed)]
