"""The record after approval: each service's record state with its history, and per province
whether a 空壳 entity may add a service directly (domain.md §12).

Services with a filing number are backfilled as filed (since their first approval, else
unknown); the provinces seen letting a shell entity add a service are seeded.
"""

import core.dates
import django.db.models.deletion
import miniprograms.records
from django.conf import settings
from django.db import migrations, models


# Seen letting a 空壳 entity add a service directly (domain.md §12; keep as data).
SHELL_ADD_SERVICE_CHARS = "津辽川滇苏浙沪桂晋京黔"


def seed_shell_route(apps, schema_editor):
    Province = apps.get_model("miniprograms", "Province")
    for province in Province.objects.all():
        province.shell_may_add_service = any(ch in SHELL_ADD_SERVICE_CHARS for ch in province.icp_chars)
        province.save(update_fields=["shell_may_add_service"])


def backfill_filed(apps, schema_editor):
    for name in ("Domain", "MiniProgram"):
        model = apps.get_model("miniprograms", name)
        model.objects.exclude(icp_number="").filter(record_state="none").update(
            record_state="filed"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_sso_providers_validated'),
        ('miniprograms', '0011_province_entity_number_display'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='domain',
            name='record_state',
            field=models.CharField(choices=[('none', 'Not filed'), ('filed', 'Filed'), ('access_cancelled', 'Access cancelled (取消接入)'), ('cancelled', 'Cancelled (注销)'), ('restricted', 'Restricted / blocked')], default='none', max_length=20, verbose_name='record state'),
        ),
        migrations.AddField(
            model_name='domain',
            name='record_state_since',
            field=models.DateField(blank=True, null=True, validators=[core.dates.validate_date_range], verbose_name='record state since'),
        ),
        migrations.AddField(
            model_name='miniprogram',
            name='record_state',
            field=models.CharField(choices=[('none', 'Not filed'), ('filed', 'Filed'), ('access_cancelled', 'Access cancelled (取消接入)'), ('cancelled', 'Cancelled (注销)'), ('restricted', 'Restricted / blocked')], default='none', max_length=20, verbose_name='record state'),
        ),
        migrations.AddField(
            model_name='miniprogram',
            name='record_state_since',
            field=models.DateField(blank=True, null=True, validators=[core.dates.validate_date_range], verbose_name='record state since'),
        ),
        migrations.AddField(
            model_name='province',
            name='shell_may_add_service',
            field=models.BooleanField(default=False, help_text='Off: a shell entity must cancel its filing and file again.', verbose_name='a shell entity may add a service directly'),
        ),
        migrations.CreateModel(
            name='RecordStateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_state', models.CharField(choices=[('none', 'Not filed'), ('filed', 'Filed'), ('access_cancelled', 'Access cancelled (取消接入)'), ('cancelled', 'Cancelled (注销)'), ('restricted', 'Restricted / blocked')], max_length=20, verbose_name='from')),
                ('to_state', models.CharField(choices=[('none', 'Not filed'), ('filed', 'Filed'), ('access_cancelled', 'Access cancelled (取消接入)'), ('cancelled', 'Cancelled (注销)'), ('restricted', 'Restricted / blocked')], max_length=20, verbose_name='to')),
                ('effective_on', models.DateField(validators=[core.dates.validate_date_range], verbose_name='effective on')),
                ('source', models.CharField(choices=[('filing', 'Filing approved'), ('provider_notice', 'Provider notice'), ('lookup', 'MIIT lookup'), ('display_check', 'Display check'), ('manual', 'Recorded by hand'), ('connector', 'Connector')], max_length=20, verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('evidence', models.FileField(blank=True, max_length=255, upload_to=miniprograms.records.record_evidence_upload_to, verbose_name='evidence')),
                ('evidence_name', models.CharField(blank=True, max_length=255, verbose_name='evidence file name')),
                ('evidence_type', models.CharField(blank=True, max_length=50, verbose_name='evidence content type')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='recorded at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('domain', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='record_changes', to='miniprograms.domain', verbose_name='domain')),
                ('miniprogram', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='record_changes', to='miniprograms.miniprogram', verbose_name='mini-program / app')),
                ('operator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='record_changes', to='miniprograms.operator', verbose_name='operator')),
                ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'record state change',
                'verbose_name_plural': 'record state changes',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['organization', 'created_at'], name='miniprogram_organiz_c7813a_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('domain__isnull', False), ('miniprogram__isnull', True)), models.Q(('domain__isnull', True), ('miniprogram__isnull', False)), _connector='OR'), name='record_change_one_service'), models.CheckConstraint(condition=models.Q(('source__in', ['filing', 'provider_notice', 'lookup', 'display_check', 'manual', 'connector'])), name='record_change_source_valid')],
            },
        ),
        migrations.RunPython(seed_shell_route, migrations.RunPython.noop),
        migrations.RunPython(backfill_filed, migrations.RunPython.noop),
    ]
