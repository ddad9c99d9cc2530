"""Personal numbers in an upload's file name are neither stored nor offered as download name."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocType, Document

from .conftest import PDF

pytestmark = pytest.mark.django_db


def test_upload_keeps_no_id_number_in_the_stored_or_download_name(client, editor, operator):
    client.force_login(editor)

    resp = client.post(
        reverse("documents:upload", args=[operator.pk]),
        {
            "doc_type": DocType.ENTITY_PERSON_ID,
            "file": SimpleUploadedFile("110105198001011019张三身份证.pdf", PDF),
        },
    )

    assert resp.status_code == 302
    doc = Document.objects.get()
    assert doc.original_name == "张三身份证.pdf"
    assert "110105198001011019" not in doc.file.name
    download = client.get(reverse("documents:download", args=[doc.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert "110105198001011019" not in disposition
    assert "%E5%BC%A0%E4%B8%89%E8%BA%AB%E4%BB%BD%E8%AF%81.pdf" in disposition  # 张三身份证.pdf
    assert b"".join(download.streaming_content) == PDF


def test_migration_cleans_names_stored_before(editor, operator, pdf):
    from documents.services import document_upload

    kept = document_upload(
        user=editor, operator=operator, doc_type=DocType.OTHER, file=pdf("营业执照.pdf")
    )
    dirty = document_upload(
        user=editor, operator=operator, doc_type=DocType.OTHER, file=pdf("x.pdf")
    )
    Document.objects.filter(pk=dirty.pk).update(original_name="李四13812345678手机.pdf")

    migration = importlib.import_module("documents.migrations.0007_redact_original_names")
    migration.redact(django_apps, None)

    names = dict(Document.objects.values_list("pk", "original_name"))
    assert names == {kept.pk: "营业执照.pdf", dirty.pk: "李四手机.pdf"}
