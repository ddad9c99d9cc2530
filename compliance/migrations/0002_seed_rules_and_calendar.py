"""Seed the rule catalogue and the known calendar years 2004–2026 (domain.md §9).

A frozen copy of the data, so that later edits to compliance.rules do not rewrite history.
"""

from django.db import migrations

RULES = [
    # code, title, description, source, verified, params
    (
        "miniprogram_existing_deadline",
        "Existing mini-programs and apps filed by 31 March 2024",
        "Mini-programs, apps and quick apps that went live before 1 September 2023 must have "
        "an approved filing by 31 March 2024.",
        "工业和信息化部关于开展移动互联网应用程序备案工作的通知 (工信部信管〔2023〕105号, "
        "2023-07-21); WeChat notice 2023-08 (domain.md §4, S5)",
        True,
        {"launched_before": "2023-09-01", "deadline": "2024-03-31", "warn_days": 30},
    ),
    (
        "inspection_window",
        "Inspection of unfiled existing services, April–June 2024",
        "From 1 April to 30 June 2024 authorities inspect; unfiled existing services risk "
        "takedown (下架、关停、限制更新). Routine supervision from 1 July 2024. Shapes the "
        "messages of miniprogram_existing_deadline; produces no items of its own.",
        "工业和信息化部关于开展移动互联网应用程序备案工作的通知 (工信部信管〔2023〕105号); "
        "People's Daily 2024-03-03 (Inner Mongolia CA) (domain.md §4, S5)",
        True,
        {"start": "2024-04-01", "end": "2024-06-30"},
    ),
    (
        "miniprogram_file_before_launch",
        "New mini-programs and apps filed before going live",
        "Services launched on or after 1 September 2023 need an approved filing before they "
        "go live; live without one is overdue from the launch date.",
        "工业和信息化部关于开展移动互联网应用程序备案工作的通知 (工信部信管〔2023〕105号); "
        "WeChat notice 2023-08 (domain.md §4, S5)",
        True,
        {"launched_from": "2023-09-01", "warn_days": 30},
    ),
    (
        "authority_review_sla",
        "Provincial authority review within 20 working days",
        "The communications administration decides within 20 working days (Zhejiang 30); "
        "the province's own figure (Province.review_working_days) wins over working_days.",
        "Order 33 Art.12 as quoted by providers; Tencent Cloud ICP docs (≤20 WD, Zhejiang 30 "
        "WD) (domain.md §3.2, S1, S4)",
        True,
        {"working_days": 20, "warn_working_days": 5},
    ),
    (
        "sms_verification_window",
        "MIIT SMS verification within 24 hours",
        "The MIIT verification code is valid for 24 hours; a timed-out check returns the "
        "application to the provider.",
        "Huawei Cloud ICP KB; WeChat sms_verify_status (domain.md §3.2, S2, S3)",
        True,
        {"hours": 24},
    ),
    (
        "provider_review_sla",
        "Provider review within 2 working days",
        "Access providers and platforms usually finish their first review within 1–2 working "
        "days (Tencent about 1, Huawei 1–2); a practice figure, not a legal limit.",
        "Tencent Cloud and Huawei Cloud ICP docs (domain.md §3.2, S1, S2)",
        False,
        {"working_days": 2},
    ),
    (
        "domain_expiry",
        "Domains keep at least 3 months of validity",
        "Authorities reject domains close to expiry (several want more than 3 months left); "
        "an expired domain invalidates the filing.",
        "Tencent/Huawei Cloud ICP docs (domain.md §3.3, §6, S1, S2)",
        True,
        {"warn_days": 90},
    ),
    (
        "domain_real_name",
        "Filed domains are real-name verified",
        "Every domain in a filing (approved or in progress) must be real-name verified to the "
        "filing entity.",
        "MIIT domain checks since 2018-01-01 (domain.md §6, S1)",
        True,
        {},
    ),
    (
        "person_id_expiry",
        "Responsible persons' IDs stay valid",
        "An expiring ID document forces a change filing with the renewed document; Huawei "
        "wants more than 3 months of validity, WeChat more than 1 month.",
        "Huawei Cloud ICP KB; WeChat guide (domain.md §3.3, S2)",
        False,
        {"warn_days": 60},
    ),
    (
        "change_notice",
        "Changes filed 30 days in advance",
        "A change of registered information is submitted through the original authority 30 "
        "days before it takes effect.",
        "Order 33 Art.14 (zjca.miit.gov.cn) (domain.md §3.4, S4)",
        True,
        {"days_ahead": 30, "warn_days": 14},
    ),
    (
        "psb_filing",
        "Public-security filing within 30 days of going live",
        "Sites file on the MPS platform (beian.mps.gov.cn) within 30 days of going live and "
        "show the number.",
        "Tencent Cloud ICP docs 公安备案 (domain.md §7, S1, S6)",
        True,
        {"days": 30},
    ),
    (
        "licence_renewal",
        "ICP licence renewal applied for 90 days before expiry",
        "A commercial ICP licence (5 years) is renewed by applying 90 days before it expires; "
        "otherwise it is not renewed.",
        "MIIT Order 42 Art.27 as quoted by licence agencies (domain.md §8, S9)",
        False,
        {"days_before": 90, "warn_days": 30},
    ),
    (
        "licence_annual_report",
        "ICP licence annual report, 1 January – 31 March",
        "Each year from 1 January to 31 March the licence holder reports on the previous year.",
        "Licence-agency articles on the annual report (domain.md §8, S9)",
        False,
        {"window_start": "01-01", "window_end": "03-31"},
    ),
]


def seed(apps, schema_editor):
    ComplianceRule = apps.get_model("compliance", "ComplianceRule")
    KnownCalendarYear = apps.get_model("compliance", "KnownCalendarYear")
    for code, title, description, source, verified, params in RULES:
        ComplianceRule.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "description": description,
                "source": source,
                "verified": verified,
                "active": True,
                "params": params,
            },
        )
    for year in range(2004, 2027):
        KnownCalendarYear.objects.get_or_create(
            year=year, defaults={"note": "State Council notice (holidays library 0.109)"}
        )


def unseed(apps, schema_editor):
    apps.get_model("compliance", "ComplianceRule").objects.filter(
        code__in=[r[0] for r in RULES]
    ).delete()
    apps.get_model("compliance", "KnownCalendarYear").objects.filter(
        year__in=range(2004, 2027)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
