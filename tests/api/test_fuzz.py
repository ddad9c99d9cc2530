"""Property-based: whatever a client sends to any documented operation, the answer is never a
5xx. Schemathesis turns the OpenAPI schema into Hypothesis strategies; requests run in-process
against the test database, signed in as a manager with a register to read and write.

Bounded and reproducible: `derandomize` makes the cases the same on every run, and
FUZZ_MAX_EXAMPLES (default 12) cases per operation keep the run under two minutes.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.crypto import hash_token
from schemathesis.checks import not_a_server_error

from icpfiling.wsgi import application
from tests.factories import (
    ApiTokenFactory,
    DomainFactory,
    MiniProgramFactory,
    PersonFactory,
    make_api_token,
)
from tokens.models import ApiToken

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "12"))


@pytest.fixture
def api_schema(db, settings):
    settings.API_DOCS_PUBLIC = True  # the schema is read anonymously here
    # Like Django's test client, keep the request signals from closing the test connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_header(manager, operator):
    # Something to read and to point ids at: the generated ids 1, 2… hit real rows sometimes.
    MiniProgramFactory(operator=operator)
    DomainFactory(operator=operator)
    PersonFactory(operator=operator)
    _token, key = make_api_token(manager)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def keep_token(manager, auth_header):
    """Puts the token back when a case revoked it (logout, DELETE /auth/tokens/): every case
    runs signed in."""
    key = auth_header["Authorization"].removeprefix("Token ")

    def ensure() -> None:
        if not ApiToken.objects.filter(digest=hash_token(key)).exists():
            ApiTokenFactory(user=manager, key=key)

    yield ensure
    cache.clear()  # the sign-in counters the fuzzed token endpoint filled


def test_no_operation_answers_5xx(api_schema, auth_header, keep_token):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40  # every documented operation, not an empty schema
    statuses: list[int] = []
    failures: list[str] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,  # the same cases on every run: CI is reproducible
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            keep_token()
            response = case.call(headers=auth_header)
            statuses.append(response.status_code)
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except AssertionError as error:  # schemathesis' failures are AssertionErrors
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} -> "
                    f"{response.status_code}: {str(error)[:300]}"
                )

        check()
    assert failures == []
    assert len(statuses) >= len(operations)
    assert {200, 201, 400} <= set(statuses)  # it reached real successes and real refusals
