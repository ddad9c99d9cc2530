"""Seed the 31 provinces and the TLD list. Both stay editable in the admin afterwards."""

from django.db import migrations

# (tld, status, verified, source) — domain.md §6. Unverified entries are kept as data so an
# admin can correct them without a release.
TLDS = [
    ("cn", "approved", True, "domain.miit.gov.cn"),
    ("com", "approved", True, "domain.miit.gov.cn"),
    ("net", "approved", True, "domain.miit.gov.cn"),
    ("xn--fiqs8s", "approved", True, "domain.miit.gov.cn (.中国)"),
    ("xn--55qx5d", "approved", True, "domain.miit.gov.cn (.公司)"),
    ("xn--io0a7i", "approved", True, "domain.miit.gov.cn (.网络)"),
    ("xn--55qw42g", "approved", False, "Inner Mongolia CA guidance for public institutions (.公益)"),
    ("top", "approved", False, "industry sources, unverified"),
    ("xyz", "approved", False, "industry sources, unverified"),
    ("vip", "approved", False, "industry sources, unverified"),
    ("shop", "approved", False, "industry sources, unverified"),
    ("org", "uncertain", False, "reported both ways"),
    ("dev", "not_fileable", False, "reported not fileable (2024), hearsay"),
    ("io", "not_fileable", False, "unverified"),
    ("ai", "not_fileable", False, "unverified"),
]

# Zhejiang's authority takes up to 30 working days (domain.md §3.2); the rest 20.
REVIEW_DAYS_OVERRIDE = {"330000": 30}


def seed(apps, schema_editor):
    from icp.provinces import PROVINCES

    Province = apps.get_model("miniprograms", "Province")
    TopLevelDomain = apps.get_model("miniprograms", "TopLevelDomain")
    for p in PROVINCES:
        Province.objects.update_or_create(
            code=p.code,
            defaults={
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "icp_chars": "".join(p.icp_chars),
                "authority_zh": p.authority_zh,
                "review_working_days": REVIEW_DAYS_OVERRIDE.get(p.code, 20),
            },
        )
    for name, status, verified, source in TLDS:
        TopLevelDomain.objects.update_or_create(
            name=name, defaults={"status": status, "verified": verified, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("miniprograms", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
