from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import CleanTextModel, TimeStampedModel


class User(AbstractUser):
    """A person. What they may see comes from their memberships, never from the user row."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )  # THE language of this person: pages, e-mails, reminders, feeds, reports, files


class OrganizationKind(models.TextChoices):
    AGENCY = "agency", _("Agency serving client operators")
    IN_HOUSE = "in_house", _("Operator's in-house team")


def default_personal_webhook_roles() -> list[str]:
    return ["manager", "editor"]


def default_acknowledgement_roles() -> list[str]:
    """The agency's own people: managers and staff; not its clients."""
    return ["manager", "editor", "viewer"]


def validate_roles(value: object) -> None:
    allowed = set(Role.values)
    if not isinstance(value, list) or not all(v in allowed for v in value):
        raise ValidationError(
            _("Choose roles among: %(roles)s.") % {"roles": ", ".join(Role.values)}
        )


def validate_sso_providers(value: object) -> None:
    """A list of the single sign-on provider ids this installation knows
    (settings.SSO_PROVIDER_IDS), each at most once."""
    allowed = list(settings.SSO_PROVIDER_IDS)
    if (
        not isinstance(value, list)
        or not all(isinstance(v, str) and v in allowed for v in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Choose providers among: %(providers)s.") % {"providers": ", ".join(allowed)}
        )


class Organization(CleanTextModel, TimeStampedModel):
    """The tenant. Every tenant-owned row points at exactly one organization."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    # A personal webhook sends reminders to a URL of the member's choosing: staff roles only,
    # unless the organization decides otherwise (accounts.access.can_use_personal_webhook).
    personal_webhook_roles = models.JSONField(
        _("roles offered a personal webhook"),
        default=default_personal_webhook_roles,
        db_default=["manager", "editor"],  # rows written by older code (and migrations)
        blank=True,
        validators=[validate_roles],
        help_text=_('Membership roles, e.g. ["manager", "editor"].'),
    )
    # Whose acknowledgement of a reminder stops its "not acknowledged" escalation; anyone
    # else's is recorded as theirs and changes nothing for the agency.
    acknowledgement_roles = models.JSONField(
        _("acknowledgements that stop the escalation"),
        default=default_acknowledgement_roles,
        # Also in the database: rows written by older code (or migrations) get it too.
        db_default=["manager", "editor", "viewer"],
        blank=True,
        validators=[validate_roles],
        help_text=_(
            "Roles whose acknowledgement of a reminder stops its escalation as not "
            "acknowledged. Others' acknowledgements are recorded but do not stop it."
        ),
    )

    # Sign-in policy (signin app): whether members must use a second factor, whether they may
    # still sign in with a password, and which single sign-on providers they may use.
    require_two_factor = models.BooleanField(
        _("require two-factor authentication of every member"),
        default=False,
        db_default=False,
    )
    password_sign_in = models.BooleanField(
        _("members may sign in with a password"),
        default=True,
        db_default=True,
        help_text=_("Turn off to let members in only through the single sign-on providers below."),
    )
    sso_providers = models.JSONField(
        _("single sign-on providers"),
        default=list,
        db_default=[],
        blank=True,
        validators=[validate_sso_providers],
        help_text=_('Provider ids members may sign in with, e.g. ["wecom", "dingtalk"].'),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        # Without passwords and without a provider, no member could sign in.
        if not self.password_sign_in and not self.sso_providers:
            raise ValidationError(
                {
                    "sso_providers": _(
                        "Choose a single sign-on provider before turning password sign-in off."
                    )
                },
                code="no_sso_provider",
            )


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")  # everything, including members
    EDITOR = "editor", _("Editor")  # register and workflow
    VIEWER = "viewer", _("Viewer")  # read-only, whole organization or assigned clients
    CLIENT = "client", _("Client (read-only, own operators)")  # an operator's compliance officer


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    # Agency staff may be limited to the clients assigned to them; clients always are.
    limited_to_assigned = models.BooleanField(_("limited to assigned operators"), default=False)
    # The assigned operators are `membership.operators`, declared on the register's side
    # (`Operator.assigned_memberships`) so that accounts depends on nothing above it.

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="client") | models.Q(limited_to_assigned=True),
                name="membership_client_is_limited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"
