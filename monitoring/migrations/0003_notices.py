"""Provider inspection notices, and the rules that read them (seeded here): the notice's
deadline by the hour, and inaccurate information changed within 10 working days."""

import django.db.models.deletion
import monitoring.models.notices
from django.conf import settings
import core.dates
from django.db import migrations, models


RULES = [
    (
        "provider_notice",
        "Provider inspection notices answered by their deadline",
        "A provider's accuracy check (接入准确性核查 / 备案信息核查) gives a deadline, sometimes "
        "about one day, after which the service's access is cancelled (取消接入).",
        "Provider notices (Alibaba 2024 e-mail); Huawei Cloud KB 2026 (domain.md §12)",
        True,
        {},
    ),
    (
        "record_inaccurate",
        "Inaccurate filing information changed within 10 working days",
        "Filing information found inaccurate (by a provider notice or a lookup) must be "
        "changed within 10 working days.",
        "Provider KB (domain.md §12)",
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
    apps.get_model("compliance", "ComplianceRule").objects.filter(
        code__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_sso_providers_validated'),
        ('filings', '0010_clean_stored_text'),
        ('miniprograms', '0012_record_state'),
        ('compliance', '0011_seed_record_rules'),
        ('monitoring', '0002_display'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProviderNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('provider', models.CharField(choices=[('alibaba', 'Alibaba Cloud'), ('tencent', 'Tencent Cloud'), ('huawei', 'Huawei Cloud'), ('baidu', 'Baidu AI Cloud'), ('volcano', 'Volcano Engine'), ('other', 'Other (name it)')], max_length=20, verbose_name='provider')),
                ('provider_name', models.CharField(blank=True, max_length=100, verbose_name='provider (name)')),
                ('received_at', models.DateTimeField(validators=[core.dates.validate_date_range], verbose_name='received at')),
                ('deadline_at', models.DateTimeField(validators=[core.dates.validate_date_range], verbose_name='deadline')),
                ('fields_to_fix', models.JSONField(blank=True, default=list, verbose_name='fields to fix')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('evidence', models.FileField(blank=True, max_length=255, upload_to=monitoring.models.notices.notice_evidence_upload_to, verbose_name='evidence')),
                ('evidence_name', models.CharField(blank=True, max_length=255, verbose_name='evidence file name')),
                ('evidence_type', models.CharField(blank=True, max_length=50, verbose_name='evidence content type')),
                ('state', models.CharField(choices=[('open', 'Open'), ('fixed', 'Fixed'), ('access_cancelled', 'Access cancelled'), ('withdrawn', 'Withdrawn')], default='open', max_length=20, verbose_name='state')),
                ('access_kept', models.BooleanField(default=False, verbose_name='provider confirmed access kept')),
                ('fix_evidence', models.FileField(blank=True, max_length=255, upload_to=monitoring.models.notices.notice_evidence_upload_to, verbose_name='fix evidence')),
                ('fix_evidence_name', models.CharField(blank=True, max_length=255, verbose_name='fix evidence file name')),
                ('fix_evidence_type', models.CharField(blank=True, max_length=50, verbose_name='fix evidence content type')),
                ('resolution_note', models.TextField(blank=True, verbose_name='resolution note')),
                ('state_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='state changed at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('domain', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='provider_notices', to='miniprograms.domain', verbose_name='domain')),
                ('fix_filing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='provider_notices', to='filings.filingapplication', verbose_name='change filing')),
                ('miniprogram', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='provider_notices', to='miniprograms.miniprogram', verbose_name='mini-program / app')),
                ('operator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='provider_notices', to='miniprograms.operator', verbose_name='operator')),
                ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization', verbose_name='organization')),
                ('state_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='state changed by')),
            ],
            options={
                'verbose_name': 'provider notice',
                'verbose_name_plural': 'provider notices',
                'ordering': ['deadline_at', 'id'],
                'indexes': [models.Index(fields=['organization', 'state', 'deadline_at'], name='monitoring__organiz_0f3678_idx'), models.Index(condition=models.Q(('state', 'open')), fields=['deadline_at'], name='notice_open_by_deadline')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('domain__isnull', False), ('miniprogram__isnull', True)), models.Q(('domain__isnull', True), ('miniprogram__isnull', False)), _connector='OR'), name='notice_one_service'), models.CheckConstraint(condition=models.Q(('state__in', ['open', 'fixed', 'access_cancelled', 'withdrawn'])), name='notice_state_valid'), models.CheckConstraint(condition=models.Q(('provider__in', ['alibaba', 'tencent', 'huawei', 'baidu', 'volcano', 'other'])), name='notice_provider_valid')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
