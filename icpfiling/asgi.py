import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.local")
application = get_asgi_application()

from core.keys import refuse_wrong_key  # noqa: E402 (needs the apps loaded)

# A FIELD_ENCRYPTION_KEY that cannot open the stored canary: no web process at all.
refuse_wrong_key()
