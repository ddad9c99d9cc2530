"""Rules of what connectors learn from WeChat (issue 14): the certification annual review
WeChat announces, and the face-verification task of a mini-program's responsible person."""

from django.db import migrations

RULES = [
    (
        "wechat_certification_review",
        "WeChat certification annual review (微信认证年审) done before it expires",
        "A mini-program's WeChat certification must be reviewed every year; WeChat announces "
        "the expiry (notify_3rd_wxa_wxverify) 60 and 30 days before and on the day. Complete "
        "the annual review in the WeChat admin before the expiry and record the renewal.",
        "WeChat open platform docs (channels.md)",
        True,
        {"warn_days": 60},
    ),
    (
        "face_verification",
        "Face verification of the responsible person completed before the task expires",
        "A filing face-verification task (create_icp_verifytask) is valid 3 days (1 day in "
        "the combined certification and filing flow); the responsible person completes it in "
        "WeChat, or a new task must be created.",
        "WeChat open platform docs (channels.md)",
        True,
        {},
    ),
]


def seed(apps, schema_editor):
    ComplianceRule = apps.get_model("compliance", "ComplianceRule")
    for code, title, description, source, verified, params in RULES:
        ComplianceRule.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "description": description,
                "source": source,
                "verified": verified,
                "params": params,
                "active": True,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("compliance", "ComplianceRule").objects.filter(
        code__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0011_seed_record_rules")]
    operations = [migrations.RunPython(seed, unseed)]
