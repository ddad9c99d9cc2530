"""The display evidence in the operator dossier PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reports import services

from .factories import DisplayCheckFactory, live_domain

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_dossier_lists_each_sites_last_check_with_its_fixes(manager, operator, other_operator):
    site = live_domain("shown.example.cn", "粤ICP备2024012345号-1", operator=operator)
    live_domain("unchecked.example.cn", "粤ICP备2024012345号-2", operator=operator)
    theirs = live_domain("theirs.example.cn", "粤ICP备2024054321号-1", operator=other_operator)
    DisplayCheckFactory(domain=theirs)
    DisplayCheckFactory(
        domain=site,
        findings=[
            {"code": "psb_code_mismatch", "severity": "error",
             "values": {"href": "h", "code": "44010602000002", "digits": "44010602000001"}}
        ],
    )  # fmt: skip
    pdf = services.report_render(
        user=manager, kind="dossier", params={"as_of": "2026-01-15", "operator_id": operator.pk}
    )
    text = _text(pdf)
    assert "shown.example.cn" in text
    assert "unchecked.example.cn" in text
    assert "theirs.example.cn" not in text
    assert "44010602000001" in text  # the code to set, from the fix
