"""The register: operators (主办单位), their people, mini-programs/apps and domains."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import pii
from core.dates import validate_date_range
from core.models import CleanTextModel, TimeStampedModel
from icp.identifiers import domain_display
from icp.numbers import ServiceType

from .choices import (
    EntityType,
    IdType,
    Lifecycle,
    PersonRole,
    Platform,
    RealNameStatus,
    ServiceKind,
)
from .names import INITIALS_LENGTH, SORT_KEY_LENGTH, name_initials, name_sort_key
from .ownership import DerivedOrganization

# RecordStateChange is a model of this app; RecordState/RecordSource are read from here too.
from .records import (  # noqa: F401
    RecordSource,
    RecordState,
    RecordStateChange,
    RecordStateFields,
)
from .reference import Province, TldStatus, TopLevelDomain


class Operator(CleanTextModel, TimeStampedModel):
    """主办单位: the entity that files. Belongs to one organization (the tenant)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="operators",
        verbose_name=_("organization"),
    )
    name_zh = models.CharField(_("legal name (Chinese)"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Pinyin keys of name_zh (miniprograms/names.py), set by save() and by every bulk write
    # (set_name_keys): the lists sort by name_sort, the portfolio also searches both.
    name_sort = models.CharField(
        _("name sort key"), max_length=SORT_KEY_LENGTH, blank=True, editable=False
    )
    name_initials = models.CharField(
        _("name initials"), max_length=INITIALS_LENGTH, blank=True, editable=False
    )
    entity_type = models.CharField(
        _("entity type"), max_length=2, choices=EntityType.choices, default=EntityType.ENTERPRISE
    )
    uscc = models.CharField(_("Unified Social Credit Code"), max_length=18, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("province"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    entity_number = models.CharField(
        _("entity filing number (主体备案号)"), max_length=40, blank=True
    )
    # Which limited memberships (agency staff, clients) see this operator. The table keeps the
    # name it had when the field was declared on accounts.Membership.
    assigned_memberships = models.ManyToManyField(
        "accounts.Membership",
        blank=True,
        related_name="operators",
        db_table="accounts_membership_operators",
        verbose_name=_("assigned to memberships"),
    )

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        permissions = [("reveal_pii", _("Can reveal unmasked personal information"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "uscc"],
                condition=~Q(uscc=""),
                name="operator_uscc_unique_per_org",
            ),
            models.CheckConstraint(
                condition=Q(entity_type="5") | ~Q(uscc=""), name="operator_uscc_required"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "province"]),
            models.Index(fields=["name_sort", "id"], name="operator_name_sort"),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def set_name_keys(self) -> None:
        """Derive name_sort and name_initials from name_zh (bulk writes call this)."""
        self.name_sort = name_sort_key(self.name_zh)
        self.name_initials = name_initials(self.name_zh)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name_zh" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort", "name_initials"}
        super().save(*args, **kwargs)


class ResponsiblePerson(CleanTextModel, DerivedOrganization, TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.CASCADE, related_name="people", verbose_name=_("operator")
    )
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    miniprogram = models.ForeignKey(
        "MiniProgram",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("mini-program / app"),
    )
    domain = models.ForeignKey(
        "Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("domain"),
    )
    name = models.CharField(_("name"), max_length=100)
    id_type = models.CharField(
        _("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    # Never the plain ID number: ciphertext plus a keyed hash for duplicate checks (PIPL).
    id_number_encrypted = models.TextField(editable=False, verbose_name=_("encrypted ID number"))
    id_number_hash = models.CharField(
        max_length=64, editable=False, db_index=True, verbose_name=_("ID number hash")
    )
    id_expires_on = models.DateField(
        _("ID valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for long-term (长期)."),
        validators=[validate_date_range],
    )
    mobile = models.CharField(_("mobile"), max_length=11)
    email = models.EmailField(_("email"), blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=100, blank=True)

    class Meta:
        ordering = ["operator", "role", "name"]
        verbose_name = _("responsible person")
        verbose_name_plural = _("responsible persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def id_number_masked(self) -> str:
        return pii.mask_id_number(pii.decrypt(self.id_number_encrypted))

    def reveal_id_number(self) -> str:
        """Only for callers that checked accounts.access.can_reveal_pii."""
        return pii.decrypt(self.id_number_encrypted)


# rotate_pii_key re-encrypts the number and recomputes its blind index under the first key.
pii.register_encrypted_column(
    ResponsiblePerson, "id_number_encrypted", index_field="id_number_hash"
)


class MiniProgram(CleanTextModel, DerivedOrganization, RecordStateFields, TimeStampedModel):
    """A mini-program (or app / quick app: they share the filing serial space of the entity)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="miniprograms", verbose_name=_("operator")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ServiceKind.choices, default=ServiceKind.MINIPROGRAM
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    appid = models.CharField(_("AppID"), max_length=64)
    launch_date = models.DateField(
        _("launch date"), null=True, blank=True, validators=[validate_date_range]
    )
    lifecycle = models.CharField(
        _("lifecycle"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.IN_DEVELOPMENT
    )
    content_category = models.CharField(_("service content category"), max_length=100, blank=True)
    icp_number = models.CharField(_("filing number"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mini-program / app")
        verbose_name_plural = _("mini-programs / apps")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "appid"], name="miniprogram_appid_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "lifecycle"])]

    def __str__(self) -> str:
        return self.name

    @property
    def number_service_type(self) -> ServiceType:
        """The service type its filing number must carry (the `X`/`A`/`K` after `-N`)."""
        return ServiceType(self.kind)  # every ServiceKind value is a ServiceType value


class Domain(CleanTextModel, DerivedOrganization, RecordStateFields, TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="domains", verbose_name=_("operator")
    )
    name = models.CharField(_("domain (ASCII)"), max_length=253)
    # A join on the TLD text without a DB constraint: a TLD added later is recognised at once,
    # and an unknown one simply has no row (flagged, never silently accepted).
    tld = models.ForeignKey(
        TopLevelDomain,
        to_field="name",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,  # so that select_related uses a LEFT JOIN and keeps unknown TLDs
        blank=True,
        verbose_name=_("top-level domain"),
    )
    site_name = models.CharField(_("site name"), max_length=100, blank=True)
    registrar = models.CharField(_("registrar"), max_length=200, blank=True)
    real_name_status = models.CharField(
        _("real-name verification"),
        max_length=12,
        choices=RealNameStatus.choices,
        default=RealNameStatus.UNVERIFIED,
    )
    registrant_name = models.CharField(_("registrant"), max_length=200, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_date_range]
    )
    live_since = models.DateField(
        _("live since"), null=True, blank=True, validators=[validate_date_range]
    )
    icp_number = models.CharField(_("filing number"), max_length=40, blank=True)
    psb_number = models.CharField(_("public-security filing number"), max_length=40, blank=True)
    psb_filed_on = models.DateField(
        _("public-security filing date"), null=True, blank=True, validators=[validate_date_range]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="domain_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return domain_display(self.name)

    @property
    def tld_status(self) -> str:
        """approved / not_fileable / uncertain, or "unknown" when the TLD is not in the list."""
        try:
            tld = self.tld if self.tld_id else None
        except TopLevelDomain.DoesNotExist:  # not loaded through select_related
            tld = None
        # select_related's LEFT JOIN yields None when the TLD has no row.
        return tld.status if tld is not None else "unknown"

    @property
    def tld_status_display(self) -> str:
        """`tld_status` as shown to people (translated)."""
        status = self.tld_status
        if status == "unknown":
            return str(_("Not in the TLD list"))
        return str(TldStatus(status).label) if status in TldStatus.values else status

    @property
    def registrant_mismatch(self) -> bool:
        return bool(self.registrant_name) and self.registrant_name != self.operator.name_zh


class PreApproval(CleanTextModel, DerivedOrganization, TimeStampedModel):
    """前置审批: a licence some content categories need before filing (domain.md §5.5)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.CASCADE, related_name="preapprovals", verbose_name=_("operator")
    )
    miniprogram = models.ForeignKey(
        MiniProgram,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="preapprovals",
        verbose_name=_("mini-program / app"),
    )
    domain = models.ForeignKey(
        Domain,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="preapprovals",
        verbose_name=_("domain"),
    )
    category = models.CharField(_("category"), max_length=100)
    authority = models.CharField(_("issuing authority"), max_length=200, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_date_range]
    )

    class Meta:
        ordering = ["category"]
        verbose_name = _("pre-approval")
        verbose_name_plural = _("pre-approvals")

    def __str__(self) -> str:
        return self.category


class IcpLicence(CleanTextModel, DerivedOrganization, TimeStampedModel):
    """增值电信业务经营许可证: commercial ICP licence (domain.md §8)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.CASCADE, related_name="licences", verbose_name=_("operator")
    )
    number = models.CharField(_("licence number"), max_length=40)
    scope = models.CharField(_("business scope"), max_length=200, blank=True)
    issued_on = models.DateField(
        _("issued on"), null=True, blank=True, validators=[validate_date_range]
    )
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_date_range]
    )
    last_annual_report_year = models.PositiveSmallIntegerField(
        _("last annual report filed for year"), null=True, blank=True
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("ICP licence")
        verbose_name_plural = _("ICP licences")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="licence_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.number
