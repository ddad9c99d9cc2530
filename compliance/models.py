"""The regulatory calendar kept as data: rules with their parameters, and working-day data.

Not tenant-owned: these rows are reference data shared by every organization and edited by
staff in the admin (a new notice changes a row, not the code).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceRule(models.Model):
    """One obligation the engine evaluates; `code` names its evaluator (compliance.registry)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Checked against a primary or provider source, not just reported."),
    )
    active = models.BooleanField(_("active"), default=True)
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('Dates as "YYYY-MM-DD", e.g. {"deadline": "2024-03-31", "warn_days": 30}.'),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("compliance rule")
        verbose_name_plural = _("compliance rules")

    def __str__(self) -> str:
        return self.title


class CalendarOverride(models.Model):
    """A correction to the holiday library: this day is (or is not) a working day."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date} {'work' if self.is_working_day else 'rest'}"


class KnownCalendarYear(models.Model):
    """A year whose State Council holiday notice is known; deadlines into other years are
    flagged as estimates."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("known calendar year")
        verbose_name_plural = _("known calendar years")

    def __str__(self) -> str:
        return str(self.year)
