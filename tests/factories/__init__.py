"""factory_boy factories, one module per app; everything is re-exported here.

`from tests.factories import X` keeps working. Every concrete model of the project has a
factory (tests/test_factories.py fails on a model without one). Organization consistency
flows from the operator (SubFactory + SelfAttribute).
"""

# Parts that keep their factories beside their tests (they import .miniprograms directly).
from tests.monitoring.notices.factories import ProviderNoticeFactory, RecordStateChangeFactory

from .accounts import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    enable_totp,
    make_staff,
    totp_code,
)
from .audit import AuditEntryFactory
from .base import valid_ric, valid_uscc
from .compliance import (
    CalendarOverrideFactory,
    ComplianceItemEventFactory,
    ComplianceItemFactory,
    ComplianceRuleFactory,
    KnownCalendarYearFactory,
    OperatorComplianceFactory,
)
from .connectors import (
    CertificationReviewFactory,
    ConnectorAccountFactory,
    ConnectorFindingFactory,
    ConnectorLinkFactory,
    ConnectorTokenFactory,
    FaceVerifyTaskFactory,
    PushEventFactory,
    SyncRunFactory,
)
from .core import EncryptionCanaryFactory, IdempotencyKeyFactory
from .documents import DocumentFactory, LicenceAnnualReportFactory
from .filings import (
    FilingCommentFactory,
    FilingFactory,
    FilingStatusChangeFactory,
    RejectionReasonFactory,
)
from .imports import ImportRunFactory
from .miniprograms import (
    DomainFactory,
    IcpLicenceFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
    PreApprovalFactory,
    ProvinceFactory,
    TopLevelDomainFactory,
)
from .notifications import (
    CalendarFeedFactory,
    DeliveryFactory,
    DigestFactory,
    NotificationFactory,
    NotificationPreferenceFactory,
    ReminderFactory,
    ReminderLadderFactory,
    WebhookEndpointFactory,
    make_notification,
)
from .readiness import make_ready
from .reports import ReportRunFactory
from .signin import InvitationFactory, SecondFactorFactory
from .tokens import ApiTokenFactory, make_api_token

__all__ = [
    "ApiTokenFactory",
    "AuditEntryFactory",
    "CalendarFeedFactory",
    "CalendarOverrideFactory",
    "CertificationReviewFactory",
    "ComplianceItemEventFactory",
    "ComplianceItemFactory",
    "ComplianceRuleFactory",
    "ConnectorAccountFactory",
    "ConnectorFindingFactory",
    "ConnectorLinkFactory",
    "ConnectorTokenFactory",
    "DeliveryFactory",
    "DigestFactory",
    "DocumentFactory",
    "DomainFactory",
    "EncryptionCanaryFactory",
    "FaceVerifyTaskFactory",
    "FilingCommentFactory",
    "FilingFactory",
    "FilingStatusChangeFactory",
    "IcpLicenceFactory",
    "IdempotencyKeyFactory",
    "ImportRunFactory",
    "InvitationFactory",
    "KnownCalendarYearFactory",
    "LicenceAnnualReportFactory",
    "MembershipFactory",
    "MiniProgramFactory",
    "NotificationFactory",
    "NotificationPreferenceFactory",
    "OperatorComplianceFactory",
    "OperatorFactory",
    "OrganizationFactory",
    "PersonFactory",
    "PreApprovalFactory",
    "ProviderNoticeFactory",
    "ProvinceFactory",
    "PushEventFactory",
    "RecordStateChangeFactory",
    "RejectionReasonFactory",
    "ReminderFactory",
    "ReminderLadderFactory",
    "ReportRunFactory",
    "SecondFactorFactory",
    "SyncRunFactory",
    "TopLevelDomainFactory",
    "UserFactory",
    "WebhookEndpointFactory",
    "enable_totp",
    "make_api_token",
    "make_notification",
    "make_ready",
    "make_staff",
    "totp_code",
    "valid_ric",
    "valid_uscc",
]

# The monitoring parts keep their factories beside their tests; they import the ones above,
# so they come last.
from tests.monitoring.display.factories import (
    DisplayCheckFactory,
    LinkTargetFactory,
    MonitoringSettingsFactory,
)
from tests.monitoring.verify.factories import (
    MiitLookupFactory,
    ServiceVerificationFactory,
)

__all__ += [
    "DisplayCheckFactory",
    "LinkTargetFactory",
    "MiitLookupFactory",
    "MonitoringSettingsFactory",
    "ServiceVerificationFactory",
]
