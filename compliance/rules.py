"""The rule codes the engine knows, and their default parameters.

Migration 0002 seeds ComplianceRule (titles, sources, verified flags, params); after that
the database is the truth and staff edit it in the admin. The engine evaluates only active
rows, and falls back to DEFAULT_PARAMS for a parameter missing from a row.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class RuleCode:
    MINIPROGRAM_EXISTING_DEADLINE = "miniprogram_existing_deadline"
    INSPECTION_WINDOW = "inspection_window"
    MINIPROGRAM_FILE_BEFORE_LAUNCH = "miniprogram_file_before_launch"
    AUTHORITY_REVIEW_SLA = "authority_review_sla"
    SMS_VERIFICATION_WINDOW = "sms_verification_window"
    PROVIDER_REVIEW_SLA = "provider_review_sla"
    DOMAIN_EXPIRY = "domain_expiry"
    DOMAIN_REAL_NAME = "domain_real_name"
    PERSON_ID_EXPIRY = "person_id_expiry"
    CHANGE_NOTICE = "change_notice"
    PSB_FILING = "psb_filing"
    LICENCE_RENEWAL = "licence_renewal"
    LICENCE_ANNUAL_REPORT = "licence_annual_report"
    PREAPPROVAL_EXPIRY = "preapproval_expiry"
    DOCUMENT_EXPIRY = "document_expiry"
    SITE_DISPLAY = "site_display"
    RECORD_ACCESS_CANCELLED = "record_access_cancelled"
    RECORD_SHELL = "record_shell"
    RECORD_INACCURATE = "record_inaccurate"
    PROVIDER_NOTICE = "provider_notice"
    ABOUT_SCREEN_CHECK = "about_screen_check"
    MIIT_RECORD_CHECK = "miit_record_check"
    MIIT_RECORD_MISMATCH = "miit_record_mismatch"
    WECHAT_CERTIFICATION_REVIEW = "wechat_certification_review"
    FACE_VERIFICATION = "face_verification"


R = RuleCode

DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    R.MINIPROGRAM_EXISTING_DEADLINE: {
        "launched_before": "2023-09-01",
        "deadline": "2024-03-31",
        "warn_days": 30,
    },
    R.INSPECTION_WINDOW: {"start": "2024-04-01", "end": "2024-06-30"},
    R.MINIPROGRAM_FILE_BEFORE_LAUNCH: {"launched_from": "2023-09-01", "warn_days": 30},
    R.AUTHORITY_REVIEW_SLA: {"working_days": 20, "warn_working_days": 5},
    R.SMS_VERIFICATION_WINDOW: {"hours": 24},
    R.PROVIDER_REVIEW_SLA: {"working_days": 2},
    R.DOMAIN_EXPIRY: {"warn_days": 90},
    R.DOMAIN_REAL_NAME: {},
    R.PERSON_ID_EXPIRY: {"warn_days": 60},
    R.CHANGE_NOTICE: {"days_ahead": 30, "warn_days": 14},
    R.PSB_FILING: {"days": 30},
    R.LICENCE_RENEWAL: {"days_before": 90, "warn_days": 30},
    R.LICENCE_ANNUAL_REPORT: {"window_start": "01-01", "window_end": "03-31"},
    R.PREAPPROVAL_EXPIRY: {"warn_days": 60},
    R.DOCUMENT_EXPIRY: {"warn_days": 30},
    R.SITE_DISPLAY: {"cadence_days": 7},
    R.RECORD_ACCESS_CANCELLED: {},
    R.RECORD_SHELL: {"notice_days": 7},
    R.RECORD_INACCURATE: {"working_days": 10},
    R.PROVIDER_NOTICE: {},
    R.ABOUT_SCREEN_CHECK: {"every_days": 180, "warn_days": 14, "after_change_days": 10},
    R.MIIT_RECORD_CHECK: {"every_days": 365, "warn_days": 30, "after_change_days": 10},
    R.MIIT_RECORD_MISMATCH: {"working_days": 10},
    R.WECHAT_CERTIFICATION_REVIEW: {"warn_days": 60},
    R.FACE_VERIFICATION: {},
}

ALL_RULES: tuple[str, ...] = tuple(DEFAULT_PARAMS)


# Short names for people (e-mail subjects, calendar events); the rule rows keep the long title
# and the source.
RULE_LABELS: dict[str, Any] = {
    R.MINIPROGRAM_EXISTING_DEADLINE: _("Existing service filed by 2024-03-31"),
    R.INSPECTION_WINDOW: _("2024 inspection window"),
    R.MINIPROGRAM_FILE_BEFORE_LAUNCH: _("Filing before going live"),
    R.AUTHORITY_REVIEW_SLA: _("Authority review time"),
    R.SMS_VERIFICATION_WINDOW: _("MIIT SMS verification"),
    R.PROVIDER_REVIEW_SLA: _("Provider review time"),
    R.DOMAIN_EXPIRY: _("Domain expiry"),
    R.DOMAIN_REAL_NAME: _("Domain real-name verification"),
    R.PERSON_ID_EXPIRY: _("Responsible person's ID expiry"),
    R.CHANGE_NOTICE: _("Change filed 30 days ahead"),
    R.PSB_FILING: _("Public-security filing"),
    R.LICENCE_RENEWAL: _("Licence renewal"),
    R.LICENCE_ANNUAL_REPORT: _("Licence annual report"),
    R.PREAPPROVAL_EXPIRY: _("Pre-approval expiry"),
    R.DOCUMENT_EXPIRY: _("Document expiry"),
    R.SITE_DISPLAY: _("Number displayed on the site"),
    R.RECORD_ACCESS_CANCELLED: _("Access cancelled while live"),
    R.RECORD_SHELL: _("Shell entity (空壳主体)"),
    R.RECORD_INACCURATE: _("Inaccurate filing information"),
    R.PROVIDER_NOTICE: _("Provider inspection notice"),
    R.ABOUT_SCREEN_CHECK: _("About screen shows the number"),
    R.MIIT_RECORD_CHECK: _("Record verified in MIIT"),
    R.MIIT_RECORD_MISMATCH: _("MIIT record matches the register"),
    R.WECHAT_CERTIFICATION_REVIEW: _("WeChat certification annual review"),
    R.FACE_VERIFICATION: _("Face verification of the responsible person"),
}


# How urgent an open item of a rule is, inside its status (worklists sort by status
# severity, then this, then the due time): a service live without a filing can be taken
# down (下架、关停 under 工信部信管〔2023〕105号), a window measured in hours closes today;
# everything else is a dated obligation.
class Priority:
    TAKEDOWN = 3
    HOURS = 2
    DEADLINE = 1


TAKEDOWN_RULES: frozenset[str] = frozenset(
    {
        R.MINIPROGRAM_EXISTING_DEADLINE,
        R.MINIPROGRAM_FILE_BEFORE_LAUNCH,
        R.INSPECTION_WINDOW,
        R.RECORD_ACCESS_CANCELLED,
    }
)
HOUR_RULES: frozenset[str] = frozenset(
    {R.SMS_VERIFICATION_WINDOW, R.PROVIDER_NOTICE, R.FACE_VERIFICATION}
)


def rule_priority(code: str) -> int:
    if code in TAKEDOWN_RULES:
        return Priority.TAKEDOWN
    if code in HOUR_RULES:
        return Priority.HOURS
    return Priority.DEADLINE


def rule_label(code: str) -> str:
    """The rule's short name in the active language (the code itself if unknown)."""
    return str(RULE_LABELS.get(code, code))
