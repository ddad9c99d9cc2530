"""ImportRun moves from reports to imports: the table stays, only the state changes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor):
    """Keep permissions and admin history: the content type follows the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="imports", model="importrun").exists():
        ContentType.objects.filter(app_label="reports", model="importrun").update(
            app_label="imports"
        )


def _move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="reports", model="importrun").exists():
        ContentType.objects.filter(app_label="imports", model="importrun").update(
            app_label="reports"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('file', models.FileField(upload_to='imports/%Y/%m/', verbose_name='file')),
                        ('filename', models.CharField(max_length=200, verbose_name='file name')),
                        ('sheet', models.CharField(blank=True, max_length=20, verbose_name='sheet (CSV only)')),
                        ('status', models.CharField(choices=[('pending', 'Waiting'), ('validating', 'Validating'), ('valid', 'Ready to import'), ('invalid', 'Has errors'), ('queued', 'Import queued'), ('committing', 'Importing'), ('committed', 'Imported'), ('failed', 'Failed')], default='pending', max_length=12, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('row_count', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                        ('summary', models.JSONField(blank=True, default=dict, verbose_name='summary')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('committed_at', models.DateTimeField(blank=True, null=True, verbose_name='committed at')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='accounts.organization')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_runs', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reports_importrun',
                        'verbose_name': 'import run',
                        'verbose_name_plural': 'import runs',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['organization', '-created_at'], name='reports_imp_organiz_7eac84_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'validating', 'valid', 'invalid', 'queued', 'committing', 'committed', 'failed'])), name='import_run_status_valid'), models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='import_run_progress_max_100')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_move_content_type, _move_content_type_back),
    ]
