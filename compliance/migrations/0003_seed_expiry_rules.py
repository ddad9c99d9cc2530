"""Rules for dated papers: pre-approval licences and uploaded filing documents."""

from django.db import migrations

RULES = [
    (
        "preapproval_expiry",
        "Pre-approval licences kept valid",
        "Content that needs a pre-approval (news, publishing, drugs, culture, audio-visual…) "
        "may only be served while the licence is valid; renew before it lapses.",
        "Decree 292 Art.5; Tencent Cloud pre-approval table (domain.md §5.5, S1)",
        True,
        {"warn_days": 60},
    ),
    (
        "document_expiry",
        "Filing documents kept valid",
        "Expired or soon-expiring documents (ID copies, licences) get applications rejected; "
        "several providers want more than 1–3 months of validity left.",
        "Huawei Cloud ICP KB, WeChat guide (domain.md §3.3, S2)",
        False,
        {"warn_days": 30},
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


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_seed_rules_and_calendar")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
