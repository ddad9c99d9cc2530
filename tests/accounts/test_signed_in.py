"""accounts.access.ensure_signed_in: writes about "the user" need a signed-in one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.access import ensure_signed_in
from core.exceptions import PermissionDeniedError
from notifications import services
from notifications.models import CalendarFeed, NotificationPreference

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_is_returned_as_is(viewer):
    assert ensure_signed_in(viewer) is viewer


def test_the_anonymous_user_is_refused():
    with pytest.raises(PermissionDeniedError):
        ensure_signed_in(AnonymousUser())


def test_an_anonymous_user_gets_no_calendar_feed():
    with pytest.raises(PermissionDeniedError):
        services.calendar_feed_regenerate(user=AnonymousUser())
    assert CalendarFeed.objects.count() == 0


def test_an_anonymous_user_saves_no_preference():
    with pytest.raises(PermissionDeniedError):
        services.preference_update(user=AnonymousUser(), email=False)
    assert NotificationPreference.objects.count() == 0
