"""Who an import run is for: an anonymous user has no organization to import into."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from core.exceptions import ApplicationError
from imports import services as import_services
from imports.models import ImportRun

pytestmark = pytest.mark.django_db


def test_anonymous_user_has_no_organization_to_import_into(org):
    with pytest.raises(ApplicationError, match="Choose the organization"):
        import_services.import_run_create(
            user=AnonymousUser(), content=b"", filename="x.csv", organization_id=org.pk
        )

    assert ImportRun.objects.count() == 0
