"""Rules of the record after approval (domain.md §12): access cancelled while live, and
shell entities (空壳主体) with their province's route."""

from django.db import migrations

RULES = [
    (
        "record_access_cancelled",
        "No live service without access",
        "A service whose access was cancelled (取消接入) must not stay live: restore access "
        "with a new-access filing or take it offline.",
        "Provider accuracy-check notices; Huawei Cloud KB (domain.md §12)",
        True,
        {},
    ),
    (
        "record_shell",
        "No shell entity (空壳主体)",
        "An entity whose services are all cancelled or without access is a shell the "
        "authority lists and cancels after about a week; some provinces let it add a service "
        "directly, elsewhere it cancels and files again.",
        "Huawei Cloud KB; authority clean-up notices (domain.md §12)",
        False,
        {"notice_days": 7},
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
    dependencies = [
        ("compliance", "0010_clean_stored_text"),
        ("miniprograms", "0012_record_state"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
