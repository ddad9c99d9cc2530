from django.db import migrations


class Migration(migrations.Migration):
    """The app's first migration: each part adds its own after it."""

    initial = True
    dependencies: list = []
    operations: list = []
