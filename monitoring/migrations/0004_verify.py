"""About-screen verifications and MIIT lookups (issue #13 §4, §5), and the three rules
that read them."""

import core.dates
import django.db.models.deletion
import django.utils.timezone
import monitoring.models.verify
from django.conf import settings
from django.db import migrations, models


RULES = [
    (
        "about_screen_check",
        "About screen of apps and mini-programs shows the filing number",
        "Apps, mini-programs and quick apps show their filing number (e.g. 粤ICP备…号-1X) in "
        "their About / Settings screen or another prominent place. Verified after filing, "
        "after every approved change filing and every `every_days`, with a screenshot.",
        "MIIT 2023 notice on app filing; provider display guides (domain.md §4, §13)",
        False,
        {"every_days": 180, "warn_days": 14, "after_change_days": 10},
    ),
    (
        "miit_record_check",
        "Record verified in the MIIT lookup",
        "Filings are lost after approval (provider accuracy checks, access cancelled, 空壳 "
        "clean-ups): look each filed service up at beian.miit.gov.cn and keep a screenshot of "
        "the result (MIIT issues no certificate; the screenshot is the accepted proof).",
        "domain.md §12 (provider KBs; proof of filing)",
        True,
        {"every_days": 365, "warn_days": 30, "after_change_days": 10},
    ),
    (
        "miit_record_mismatch",
        "MIIT record matches the register",
        "An automatic lookup that finds no record, a cancelled one, another entity or another "
        "number is a finding; inaccurate filing information is corrected within 10 working "
        "days.",
        "domain.md §12 (inaccurate information: 10 working days, provider KB)",
        False,
        {"working_days": 10},
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
    ComplianceRule = apps.get_model("compliance", "ComplianceRule")
    ComplianceRule.objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_sso_providers_validated'),
        ('compliance', '0010_clean_stored_text'),
        ('miniprograms', '0010_clean_stored_text'),
        ('monitoring', '0003_notices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MiitLookup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('queried_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='queried at')),
                ('backend', models.CharField(max_length=30, verbose_name='backend')),
                ('query', models.CharField(max_length=255, verbose_name='query')),
                ('status', models.CharField(choices=[('found', 'Found'), ('not_found', 'Not found'), ('cancelled', 'Found, cancelled'), ('error', 'Lookup failed')], max_length=20, verbose_name='result')),
                ('entity_name', models.CharField(blank=True, max_length=200, verbose_name='entity name')),
                ('number', models.CharField(blank=True, max_length=60, verbose_name='filing number')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('raw', models.JSONField(blank=True, default=dict, verbose_name='answer')),
                ('domain', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='miniprograms.domain', verbose_name='domain')),
                ('miniprogram', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='miniprograms.miniprogram', verbose_name='mini-program / app')),
                ('operator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='miniprograms.operator', verbose_name='operator')),
                ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organization', verbose_name='organization')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'MIIT lookup',
                'verbose_name_plural': 'MIIT lookups',
                'ordering': ['-queried_at', '-id'],
                'indexes': [models.Index(fields=['organization', 'queried_at'], name='monitoring__organiz_35299e_idx'), models.Index(fields=['miniprogram', 'queried_at'], name='monitoring__minipro_f98089_idx'), models.Index(fields=['domain', 'queried_at'], name='monitoring__domain__286075_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('miniprogram__isnull', True), ('domain__isnull', False)), models.Q(('miniprogram__isnull', False), ('domain__isnull', True)), _connector='OR'), name='lookup_one_service'), models.CheckConstraint(condition=models.Q(('status__in', ['found', 'not_found', 'cancelled', 'error'])), name='lookup_status_valid')],
            },
        ),
        migrations.CreateModel(
            name='ServiceVerification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('about_screen', 'About screen shows the number'), ('miit_lookup', 'MIIT record looked up')], max_length=20, verbose_name='kind')),
                ('number', models.CharField(blank=True, max_length=40, verbose_name='filing number')),
                ('verified_on', models.DateField(validators=[core.dates.validate_date_range], verbose_name='verified on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('screenshot', models.FileField(max_length=255, upload_to=monitoring.models.verify.evidence_upload_to, verbose_name='screenshot')),
                ('original_name', models.CharField(max_length=255, verbose_name='original file name')),
                ('content_type', models.CharField(max_length=50, verbose_name='content type')),
                ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('domain', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='miniprograms.domain', verbose_name='domain')),
                ('miniprogram', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='miniprograms.miniprogram', verbose_name='mini-program / app')),
                ('operator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='miniprograms.operator', verbose_name='operator')),
                ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'service verification',
                'verbose_name_plural': 'service verifications',
                'ordering': ['-verified_on', '-id'],
                'indexes': [models.Index(fields=['organization', 'verified_on'], name='monitoring__organiz_7ba604_idx'), models.Index(fields=['miniprogram', 'kind', 'verified_on'], name='monitoring__minipro_28f7a8_idx'), models.Index(fields=['domain', 'kind', 'verified_on'], name='monitoring__domain__a3975e_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('miniprogram__isnull', True), ('domain__isnull', False)), models.Q(('miniprogram__isnull', False), ('domain__isnull', True)), _connector='OR'), name='verification_one_service'), models.CheckConstraint(condition=models.Q(('kind__in', ['about_screen', 'miit_lookup'])), name='verification_kind_valid')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
