"""FIELD_ENCRYPTION_KEY as a list (MultiFernet), rotate_pii_key, the key canary, and no key
derived from a default secret."""

from __future__ import annotations

import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from core import keys, pii, rotation
from core.models import EncryptionCanary
from imports import services as import_services
from miniprograms.models import ResponsiblePerson
from notifications.models import WebhookEndpoint
from tests.factories import PersonFactory, WebhookEndpointFactory, valid_ric
from tests.imports.helpers import portfolio_sheets, xlsx

OLD, NEW, WRONG = "old-field-key-2024", "new-field-key-2025", "somebody-elses-key"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def use_keys(settings):
    """`use_keys(*keys)`: configure FIELD_ENCRYPTION_KEY (the caches follow the setting)."""

    def use(*configured: str) -> None:
        settings.FIELD_ENCRYPTION_KEY = list(configured)

    return use


@pytest.fixture
def old_data(db, use_keys, operator):
    """Five people, a webhook and the canary, all written under OLD."""
    use_keys(OLD)
    EncryptionCanary.objects.all().delete()
    keys.ensure_canary()
    numbers = [valid_ric(900 + n) for n in range(5)]
    people = [PersonFactory(operator=operator, id_number=number) for number in numbers]
    hook = WebhookEndpointFactory(organization=operator.organization, url="json://127.0.0.1:9/x")
    return list(zip(people, numbers, strict=True)), hook


def _raw(model, pk, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _tokens() -> list[str]:
    people = list(
        ResponsiblePerson.objects.order_by("pk").values_list("id_number_encrypted", flat=True)
    )
    hooks = [
        _raw(WebhookEndpoint, pk, "url")
        for pk in WebhookEndpoint.objects.values_list("pk", flat=True)
    ]
    return [*people, *hooks, *EncryptionCanary.objects.values_list("token", flat=True)]


# -- a list of keys ------------------------------------------------------------------------------


def test_first_key_encrypts_every_key_decrypts(use_keys):
    use_keys(OLD)
    old_token = pii.encrypt("110105194912310021")
    use_keys(NEW, OLD)
    new_token = pii.encrypt("110105194912310021")
    assert pii.decrypt(old_token) == pii.decrypt(new_token) == "110105194912310021"
    use_keys(OLD)
    assert isinstance(pii.decrypt(new_token), pii.Unreadable)  # written under NEW only


def test_blind_index_is_under_the_first_key_and_lookups_try_every_key(use_keys):
    use_keys(OLD)
    old_index = pii.blind_index("11010519491231002x")
    use_keys(NEW, OLD)
    assert pii.blind_indexes("11010519491231002X") == (
        pii.blind_index("11010519491231002X"),
        old_index,
    )
    assert pii.blind_index("11010519491231002X") != old_index


def test_a_key_string_keeps_the_derivation_stored_data_was_written_with(use_keys):
    # sha256 of the string, urlsafe base64: what core.pii always did.
    import base64
    import hashlib

    from cryptography.fernet import Fernet

    use_keys(OLD)
    token = Fernet(base64.urlsafe_b64encode(hashlib.sha256(OLD.encode()).digest())).encrypt(b"v")
    assert pii.decrypt(token.decode()) == "v"


def test_an_empty_key_is_improperly_configured(use_keys):
    use_keys()
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        pii.encrypt("x")
    use_keys(" ")
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        pii.blind_index("x")


# -- a value no key opens: loud, a marker, never blank -----------------------------------------


def test_an_unreadable_value_is_logged_and_shown_as_a_marker_not_blank(old_data, use_keys, caplog):
    ((person, _number), *_), _hook = old_data
    use_keys(WRONG)
    with caplog.at_level(logging.ERROR, logger="core.pii"):
        shown = person.id_number_masked
    assert shown == "[cannot decrypt]"
    assert person.reveal_id_number() == "[cannot decrypt]"
    assert any("FIELD_ENCRYPTION_KEY" in r.getMessage() for r in caplog.records)


def test_saving_an_unreadable_webhook_url_keeps_its_ciphertext(old_data, use_keys):
    _people, hook = old_data
    before = _raw(WebhookEndpoint, hook.pk, "url")
    use_keys(WRONG)
    hook = WebhookEndpoint.objects.get(pk=hook.pk)
    assert hook.url == "[cannot decrypt]"
    hook.name = "renamed"
    hook.save()
    assert _raw(WebhookEndpoint, hook.pk, "url") == before  # not the marker, encrypted
    use_keys(OLD)
    assert WebhookEndpoint.objects.get(pk=hook.pk).url == "json://127.0.0.1:9/x"


# -- rotate_pii_key ----------------------------------------------------------------------------


def test_rotate_then_only_the_new_key_reads_and_finds_everything(old_data, use_keys, capsys):
    pairs, hook = old_data
    use_keys(NEW, OLD)

    call_command("rotate_pii_key", "--batch-size", "2")

    out = capsys.readouterr().out
    assert "miniprograms.ResponsiblePerson.id_number_encrypted: 5 values, re-encrypted 5" in out
    assert "5 blind indexes recomputed" in out
    assert "notifications.WebhookEndpoint.url: 1 values, re-encrypted 1" in out
    assert "core.EncryptionCanary.token: 1 values, re-encrypted 1" in out
    use_keys(NEW)
    assert keys.verify_encryption_key() is True  # the canary was re-encrypted too
    for stored, number in pairs:
        person = ResponsiblePerson.objects.get(pk=stored.pk)
        assert person.reveal_id_number() == number
        # the duplicate check's lookup finds it under the new key alone
        assert (
            ResponsiblePerson.objects.filter(id_number_hash=pii.blind_index(number)).get() == person
        )
    assert WebhookEndpoint.objects.get(pk=hook.pk).url == "json://127.0.0.1:9/x"


def test_a_second_run_changes_nothing(old_data, use_keys, capsys):
    use_keys(NEW, OLD)
    call_command("rotate_pii_key")
    first = _tokens()
    capsys.readouterr()

    call_command("rotate_pii_key")

    out = capsys.readouterr().out
    assert _tokens() == first
    assert "5 values, re-encrypted 0, 5 already under the first key, 0 blind indexes" in out
    assert "Done: 0 changes written." in out


def test_an_interrupted_run_keeps_its_finished_batches_and_a_rerun_completes(
    old_data, use_keys, monkeypatch
):
    pairs, _hook = old_data
    use_keys(NEW, OLD)
    real_batch, calls = rotation._batch, []

    def failing_second_batch(column, *args, **kwargs):
        if column.model is ResponsiblePerson:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("power cut")
        return real_batch(column, *args, **kwargs)

    monkeypatch.setattr(rotation, "_batch", failing_second_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        call_command("rotate_pii_key", "--batch-size", "2")

    use_keys(NEW)  # what the first batch did is committed: its two rows open with NEW alone
    opened = [
        not isinstance(p.reveal_id_number(), pii.Unreadable)
        for p in ResponsiblePerson.objects.order_by("pk")
    ]
    assert opened == [True, True, False, False, False]

    monkeypatch.setattr(rotation, "_batch", real_batch)
    use_keys(NEW, OLD)
    results = rotation.rotate_keys(batch_size=2)
    person_counts = next(c for c in results if c.label.startswith("miniprograms"))
    assert (person_counts.reencrypted, person_counts.current) == (3, 2)
    use_keys(NEW)
    assert [p.reveal_id_number() for p in ResponsiblePerson.objects.order_by("pk")] == [
        number for _person, number in pairs
    ]


def test_dry_run_writes_nothing(old_data, use_keys, capsys):
    before = _tokens()
    use_keys(NEW, OLD)
    call_command("rotate_pii_key", "--dry-run")
    assert _tokens() == before
    out = capsys.readouterr().out
    assert "would re-encrypt 5" in out
    assert "Dry run: 12 changes would be written." in out  # 5 + 5 indexes + hook + canary


def test_a_value_no_key_opens_is_left_alone_and_reported(old_data, use_keys):
    ((person, _number), *_), _hook = old_data
    use_keys(WRONG)
    stranger = pii.encrypt("110105194912310021")
    ResponsiblePerson.objects.filter(pk=person.pk).update(id_number_encrypted=stranger)
    use_keys(NEW, OLD)
    with pytest.raises(CommandError, match="1 values open with none"):
        call_command("rotate_pii_key")
    assert ResponsiblePerson.objects.get(pk=person.pk).id_number_encrypted == stranger


def test_an_import_mid_rotation_still_finds_people_indexed_under_the_old_key(
    manager, org, use_keys, settings, tmp_path, import_tasks_run_at_once
):
    settings.MEDIA_ROOT = tmp_path / "media"
    use_keys(OLD)
    EncryptionCanary.objects.all().delete()
    keys.ensure_canary()
    content = xlsx(portfolio_sheets(2))

    def import_summary() -> dict:
        run = import_services.import_run_create(
            user=manager, content=content, filename="p.xlsx", organization_id=org.pk
        )
        return import_services.import_run_commit_request(user=manager, run=run).summary["persons"]

    assert import_summary()["create"] == 4
    use_keys(NEW, OLD)  # the new key deployed, rotation not run yet

    assert import_summary() == {"create": 0, "update": 0, "unchanged": 4}
    call_command("rotate_pii_key")
    use_keys(NEW)
    assert import_summary() == {"create": 0, "update": 0, "unchanged": 4}
    assert ResponsiblePerson.objects.count() == 4


# -- the canary ----------------------------------------------------------------------------------


def test_the_wrong_key_is_refused_by_the_check_the_worker_and_the_startup_hook(old_data, use_keys):
    use_keys(WRONG)
    with pytest.raises(
        ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY cannot decrypt the stored key canary"
    ):
        keys.refuse_wrong_key()
    [error] = keys.check_encryption_key()
    assert error.id == "core.E001"
    assert "FIELD_ENCRYPTION_KEY" in error.msg

    from icpfiling.celery import refuse_wrong_key as worker_init

    with pytest.raises(SystemExit, match="FIELD_ENCRYPTION_KEY"):
        worker_init(sender=None)
    use_keys(OLD)
    assert keys.check_encryption_key() == []
    worker_init(sender=None)  # starts


def test_without_a_canary_the_stored_values_are_the_proof(old_data, use_keys):
    EncryptionCanary.objects.all().delete()
    use_keys(WRONG)
    with pytest.raises(ImproperlyConfigured, match="cannot decrypt any stored encrypted value"):
        keys.verify_encryption_key()
    with pytest.raises(ImproperlyConfigured):
        keys.ensure_canary()  # and no canary is written under the wrong key
    assert not EncryptionCanary.objects.exists()
    use_keys(NEW, OLD)
    keys.ensure_canary()
    assert keys.verify_encryption_key() is True


def test_a_fresh_database_gets_its_canary_after_migrate(db):
    # post_migrate wrote it when the test database was created (or flushed)
    [token] = EncryptionCanary.objects.values_list("token", flat=True)
    assert pii.decrypt(token) == keys.CANARY_TEXT


def _manage(*args: str, key: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """A process on the test database with the local settings (they read the key from the
    environment), the filesystem broker in tmp_path."""
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "icpfiling.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        "FIELD_ENCRYPTION_KEY": key,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db(transaction=True)
def test_a_process_started_with_another_key_refuses_to_start(use_keys, tmp_path):
    use_keys(OLD)
    EncryptionCanary.objects.all().delete()
    keys.ensure_canary()  # committed: the other processes see it

    check = _manage("manage.py", "check", key=WRONG, tmp_path=tmp_path)
    web = _manage("-c", "import icpfiling.wsgi", key=WRONG, tmp_path=tmp_path)
    asgi = _manage("-c", "import icpfiling.asgi", key=WRONG, tmp_path=tmp_path)
    worker = _manage(
        "-m", "celery", "-A", "icpfiling", "worker", "-c", "1", key=WRONG, tmp_path=tmp_path
    )

    assert check.returncode == 1
    assert "core.E001" in check.stderr
    assert "FIELD_ENCRYPTION_KEY cannot decrypt the stored key canary" in check.stderr
    for process in (web, asgi):
        assert process.returncode == 1
        assert "ImproperlyConfigured: FIELD_ENCRYPTION_KEY cannot decrypt" in process.stderr
    assert worker.returncode == 1
    assert "FIELD_ENCRYPTION_KEY cannot decrypt the stored key canary" in worker.stderr
    # the old key among the configured ones (a rotation under way): it starts
    rotating = _manage("manage.py", "check", key=f"{WRONG},{OLD}", tmp_path=tmp_path)
    assert rotating.returncode == 0, rotating.stderr
    assert (
        _manage("-c", "import icpfiling.wsgi", key=f"{WRONG},{OLD}", tmp_path=tmp_path).returncode
        == 0
    )


# -- no key derived from a default secret --------------------------------------------------------


# runpy warns that the settings modules are already imported: they are run afresh on purpose.
pytestmark_settings = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _settings_module(name: str, monkeypatch, **env: str) -> dict:
    for var in ("FIELD_ENCRYPTION_KEY", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    return runpy.run_module(f"icpfiling.settings.{name}", run_name="settings_under_test")


@pytestmark_settings
def test_base_settings_have_no_key_and_local_sets_its_development_key_explicitly(monkeypatch):
    assert _settings_module("base", monkeypatch)["FIELD_ENCRYPTION_KEY"] == []
    local = _settings_module("local", monkeypatch)
    assert local["FIELD_ENCRYPTION_KEY"] == ["dev-only-insecure-key-change-me"]
    assert _settings_module("local", monkeypatch, FIELD_ENCRYPTION_KEY="a,b")[
        "FIELD_ENCRYPTION_KEY"
    ] == ["a", "b"]


@pytestmark_settings
@pytest.mark.parametrize(
    ("key", "refused"),
    [
        ("", True),
        ("s3cret-of-the-site", True),  # = DJANGO_SECRET_KEY
        ("dev-only-insecure-key-change-me", True),
        ("dGVzdC1maWVsZC1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=", True),
        ("a-real-key-of-its-own", False),
        ("a-real-key-of-its-own,s3cret-of-the-site", False),  # rotating away from a bad key
    ],
)
def test_production_requires_a_key_of_its_own(monkeypatch, key, refused):
    env = {"DJANGO_SECRET_KEY": "s3cret-of-the-site", "DJANGO_ALLOWED_HOSTS": "icp.example.com"}
    if refused:
        with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
            _settings_module("production", monkeypatch, FIELD_ENCRYPTION_KEY=key, **env)
    else:
        module = _settings_module("production", monkeypatch, FIELD_ENCRYPTION_KEY=key, **env)
        assert module["FIELD_ENCRYPTION_KEY"][0] == "a-real-key-of-its-own"


@pytestmark_settings
def test_production_without_the_variable_refuses(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        _settings_module("production", monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_ALLOWED_HOSTS="h")
