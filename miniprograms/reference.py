"""Reference data of the register, shared by every organization and edited in the admin:
the provinces and the top-level domains MIIT accepts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from icp.identifiers import domain_display


class Province(models.Model):
    """Reference data for the 31 mainland provinces, seeded from icp.provinces."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=20)
    name_en = models.CharField(_("English name"), max_length=40)
    icp_chars = models.CharField(
        _("filing-number characters"), max_length=4, help_text=_("Primary first, then aliases.")
    )
    authority_zh = models.CharField(_("communications administration"), max_length=40)
    review_working_days = models.PositiveSmallIntegerField(
        _("authority review (working days)"), default=20
    )
    # Several authorities want more than 3 months of domain validity left at submission
    # (domain.md §6); which ones exactly is unverified, so it is data, edited in the admin.
    domain_min_validity_days = models.PositiveSmallIntegerField(
        _("minimum domain validity at submission (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the authority sets no minimum. Checked before submitting a domain."),
    )
    # Guangdong has asked sites to show the entity number (粤ICP备…号) instead of the
    # service's (…号-1); other provinces want the service's (domain.md §7, §13).
    entity_number_display = models.BooleanField(
        _("entity number accepted on a site"),
        default=False,
        help_text=_("The display checker accepts the entity number instead of the site's -N."),
    )

    # Whether a 空壳 entity (every service cancelled or without access) may add a service
    # directly, or must cancel and file again (domain.md §12; the list is observed, not a rule).
    shell_may_add_service = models.BooleanField(
        _("a shell entity may add a service directly"),
        default=False,
        help_text=_("Off: a shell entity must cancel its filing and file again."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name_zh


class TldStatus(models.TextChoices):
    APPROVED = "approved", _("Approved for filing")
    NOT_FILEABLE = "not_fileable", _("Not fileable")
    UNCERTAIN = "uncertain", _("Reported both ways")


class TopLevelDomain(models.Model):
    """Editable list of TLDs and whether MIIT accepts them for filing (domain.md §6)."""

    name = models.CharField(_("TLD (ASCII)"), max_length=63, primary_key=True)
    status = models.CharField(_("status"), max_length=20, choices=TldStatus.choices)
    verified = models.BooleanField(_("verified"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("top-level domain")
        verbose_name_plural = _("top-level domains")

    def __str__(self) -> str:
        return "." + domain_display(self.name)
