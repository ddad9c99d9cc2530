"""Hour ladders: a ladder may remind by the hour before a deadline's instant; the default for
provider notices is 24, 12, 4 and 1 hours before, then daily while overdue, escalated."""

from django.db import migrations, models


def seed(apps, schema_editor):
    ReminderLadder = apps.get_model("notifications", "ReminderLadder")
    ReminderLadder.objects.get_or_create(
        organization=None,
        rule="provider_notice",
        defaults={
            "offsets": [],
            "hour_offsets": [24, 12, 4, 1],
            "overdue_every_days": 1,
            "escalate_when_overdue": True,
            "escalate_unacknowledged_after_days": 1,
            "roles": ["manager", "editor", "client"],
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "ReminderLadder").objects.filter(
        organization=None, rule="provider_notice"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0010_disable_unsafe_webhooks'),
    ]

    operations = [
        migrations.AddField(
            model_name='reminderladder',
            name='hour_offsets',
            field=models.JSONField(blank=True, default=list, help_text='E.g. [24, 12, 4, 1], for deadlines with an hour; empty: none.', verbose_name='hours before the deadline'),
        ),
        migrations.RunPython(seed, unseed),
    ]
