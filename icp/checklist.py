"""The filing materials each operator and service needs, as data (domain.md §5.4, §5.5).

Pure: `requirements_for` takes plain facts (entity type, services, pre-approvals) and returns
what must be on file. `documents.selectors.operator_checklist` matches uploads against it; the
Django choices `documents.models.DocType` take their values and labels from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .types import EntityType, Text

__all__ = [
    "DOC_TYPE_LABELS",
    "DocType",
    "PreApprovalFacts",
    "Requirement",
    "ServiceFacts",
    "preapproval_licence",
    "requirements_for",
]


class DocType(StrEnum):
    BUSINESS_LICENCE = "business_licence"
    USCC_CERTIFICATE = "uscc_certificate"
    ENTITY_PERSON_ID = "entity_person_id"
    SERVICE_PERSON_ID = "service_person_id"
    COMMITMENT_LETTER = "commitment_letter"
    AUTHORISATION_LETTER = "authorisation_letter"
    PREAPPROVAL_LICENCE = "preapproval_licence"
    NO_PREAPPROVAL_COMMITMENT = "no_preapproval_commitment"
    DOMAIN_CERTIFICATE = "domain_certificate"
    OTHER = "other"


DOC_TYPE_LABELS: Mapping[DocType, Text] = MappingProxyType(
    {
        DocType.BUSINESS_LICENCE: _("Business licence (营业执照)"),
        DocType.USCC_CERTIFICATE: _("Registration / USCC certificate (登记证书)"),
        DocType.ENTITY_PERSON_ID: _("ID copy, entity responsible person"),
        DocType.SERVICE_PERSON_ID: _("ID copy, service responsible person"),
        DocType.COMMITMENT_LETTER: _("互联网信息服务承诺书"),
        DocType.AUTHORISATION_LETTER: _("Authorisation letter (授权书)"),
        DocType.PREAPPROVAL_LICENCE: _("Pre-approval licence (前置审批)"),
        DocType.NO_PREAPPROVAL_COMMITMENT: _("不涉及前置审批承诺书"),
        DocType.DOMAIN_CERTIFICATE: _("Domain certificate (域名证书)"),
        DocType.OTHER: _("Other"),
    }
)


# Operator-level certificate by entity type. Individuals file with their ID alone; every other
# organisation type has a registration certificate that carries the USCC.
ENTITY_CERTIFICATE: Mapping[str, DocType | None] = {
    EntityType.INDIVIDUAL: None,
    EntityType.ENTERPRISE: DocType.BUSINESS_LICENCE,
}
DEFAULT_ENTITY_CERTIFICATE = DocType.USCC_CERTIFICATE

# Pre-approval category → (licence to upload, still required nationally). Tencent's table in
# domain.md §5.5; categories whose national pre-approval was cancelled stay "if asked".
PREAPPROVAL_LICENCES: Mapping[str, tuple[str, bool]] = {
    "新闻": ("互联网新闻信息服务许可证", True),
    "出版": ("网络出版许可证", True),
    "教育": ("教育主管部门批准文件", False),
    "医疗保健": ("卫生健康主管部门批准文件", False),
    "药品和医疗器械": ("互联网药品信息服务资格证书", True),
    "电子公告服务": ("电子公告服务批准文件", False),
    "文化": ("网络文化经营许可证", True),
    "广播电影电视节目": ("信息网络传播视听节目许可证", True),
    "网络预约车": ("网络预约出租汽车经营许可证", True),
    "互联网金融": ("金融监管部门批准文件", True),
    "金融": ("金融监管部门批准文件", True),
    "游戏": ("网络游戏出版批准文件", True),
    "宗教": ("互联网宗教信息服务许可证", True),
    "校外培训": ("校外培训主管部门批准文件", True),
}
DEFAULT_PREAPPROVAL_LICENCE = ("主管部门批准文件", True)


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    kind: str  # "miniprogram" | "domain"
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PreApprovalFacts:
    id: int
    category: str
    miniprogram_id: int | None
    domain_id: int | None


@dataclass(frozen=True, slots=True)
class Requirement:
    doc_type: DocType
    label: Text
    service: ServiceFacts | None = None  # None: about the operator itself
    preapproval_id: int | None = None
    # Conditional items are listed but a missing one is not a gap (e.g. the authorisation
    # letter, needed only when the responsible person is not the legal representative).
    conditional: bool = False
    note: Text = ""

    @property
    def key(self) -> tuple[str, str, int | None, int | None]:
        """What an uploaded document must match: type, subject and pre-approval."""
        kind = self.service.kind if self.service else "operator"
        sid = self.service.id if self.service else None
        return (self.doc_type, kind, sid, self.preapproval_id)


def preapproval_licence(category: str) -> tuple[str, bool]:
    return PREAPPROVAL_LICENCES.get(category.strip(), DEFAULT_PREAPPROVAL_LICENCE)


def requirements_for(
    *,
    entity_type: str,
    services: list[ServiceFacts],
    preapprovals: list[PreApprovalFacts],
) -> list[Requirement]:
    """The materials list for one operator and its services, operator items first."""
    reqs: list[Requirement] = []
    certificate = ENTITY_CERTIFICATE.get(entity_type, DEFAULT_ENTITY_CERTIFICATE)
    if certificate:
        reqs.append(_item(certificate))
    reqs.append(_item(DocType.ENTITY_PERSON_ID))
    if entity_type != EntityType.INDIVIDUAL:
        reqs.append(
            _item(
                DocType.AUTHORISATION_LETTER,
                conditional=True,
                note=_("Only if the responsible person is not the legal representative."),
            )
        )
    # A pre-approval without a subject covers every service of the operator.
    operator_wide = [p for p in preapprovals if p.miniprogram_id is None and p.domain_id is None]
    for p in operator_wide:
        reqs.append(_licence_requirement(p, None))
    for s in services:
        reqs.append(_item(DocType.SERVICE_PERSON_ID, s))
        reqs.append(_item(DocType.COMMITMENT_LETTER, s))
        if s.kind == "domain":
            reqs.append(_item(DocType.DOMAIN_CERTIFICATE, s))
        own = [
            p
            for p in preapprovals
            if (s.kind == "miniprogram" and p.miniprogram_id == s.id)
            or (s.kind == "domain" and p.domain_id == s.id)
        ]
        reqs.extend(_licence_requirement(p, s) for p in own)
        if not own and not operator_wide:
            reqs.append(
                _item(
                    DocType.NO_PREAPPROVAL_COMMITMENT,
                    s,
                    note=_("Many provinces ask for it when the name hints at a regulated field."),
                )
            )
    return reqs


def _item(
    doc_type: DocType,
    service: ServiceFacts | None = None,
    *,
    conditional: bool = False,
    note: Text = "",
) -> Requirement:
    """A requirement labelled with its document type."""
    return Requirement(
        doc_type, DOC_TYPE_LABELS[doc_type], service, conditional=conditional, note=note
    )


def _licence_requirement(p: PreApprovalFacts, service: ServiceFacts | None) -> Requirement:
    licence, required = preapproval_licence(p.category)
    return Requirement(
        DocType.PREAPPROVAL_LICENCE,
        f"{p.category}: {licence}",
        service,
        preapproval_id=p.id,
        conditional=not required,
        note="" if required else _("National pre-approval cancelled; some provinces still ask."),
    )
