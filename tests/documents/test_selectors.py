from __future__ import annotations

import datetime

import pytest

from documents.models import DocType
from documents.selectors import (
    ItemStatus,
    document_list_for_user,
    operator_checklist,
)
from documents.services import document_upload
from miniprograms.models import Lifecycle
from tests.factories import DomainFactory, MiniProgramFactory, OperatorFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 1)


def _upload(user, operator, doc_type, pdf, **kw):
    return document_upload(user=user, operator=operator, doc_type=doc_type, file=pdf(), **kw)


def test_documents_are_scoped_like_operators(
    manager, client_user, other_manager, org, operator, pdf
):
    # given: one document on the client's operator, one on another operator of the same agency
    mine = _upload(manager, operator, DocType.OTHER, pdf)
    sibling = OperatorFactory(organization=org)
    theirs = _upload(manager, sibling, DocType.OTHER, pdf)

    # then
    assert set(document_list_for_user(user=manager)) == {mine, theirs}
    assert list(document_list_for_user(user=client_user)) == [mine]
    assert list(document_list_for_user(user=other_manager)) == []


def test_checklist_statuses(manager, operator, pdf):
    mp = MiniProgramFactory(operator=operator)
    MiniProgramFactory(operator=operator, lifecycle=Lifecycle.DELISTED)
    _upload(manager, operator, DocType.BUSINESS_LICENCE, pdf)
    _upload(
        manager,
        operator,
        DocType.ENTITY_PERSON_ID,
        pdf,
        expires_on=AS_OF + datetime.timedelta(days=30),
    )
    _upload(
        manager,
        operator,
        DocType.COMMITMENT_LETTER,
        pdf,
        miniprogram=mp,
        expires_on=AS_OF - datetime.timedelta(days=1),
    )

    rows = operator_checklist(operator=operator, as_of=AS_OF)

    assert [(r.requirement.doc_type, r.status) for r in rows] == [
        (DocType.BUSINESS_LICENCE, ItemStatus.PRESENT),
        (DocType.ENTITY_PERSON_ID, ItemStatus.EXPIRING),
        (DocType.AUTHORISATION_LETTER, ItemStatus.OPTIONAL),
        (DocType.SERVICE_PERSON_ID, ItemStatus.MISSING),
        (DocType.COMMITMENT_LETTER, ItemStatus.EXPIRED),
        (DocType.NO_PREAPPROVAL_COMMITMENT, ItemStatus.MISSING),
    ]
    assert [r.is_gap for r in rows] == [False, False, False, True, True, True]


def test_newest_upload_counts_and_documents_match_their_service(manager, operator, pdf):
    site_a = DomainFactory(operator=operator, name="a-site.cn")
    site_b = DomainFactory(operator=operator, name="b-site.cn")
    _upload(manager, operator, DocType.DOMAIN_CERTIFICATE, pdf, domain=site_a, expires_on=AS_OF)
    newest = _upload(manager, operator, DocType.DOMAIN_CERTIFICATE, pdf, domain=site_a)

    rows = operator_checklist(operator=operator, as_of=AS_OF)

    certs = [r for r in rows if r.requirement.doc_type == DocType.DOMAIN_CERTIFICATE]
    services = [r.requirement.service for r in certs]
    assert [s.id if s else None for s in services] == [site_a.pk, site_b.pk]
    assert [(r.document, r.status) for r in certs] == [
        (newest, ItemStatus.PRESENT),
        (None, ItemStatus.MISSING),
    ]
