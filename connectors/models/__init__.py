from .accounts import AccountHealth, ConnectorAccount, ConnectorToken
from .links import ConnectorFinding, ConnectorLink, FindingCode, LinkKind
from .runs import SyncRun, SyncStatus, SyncTrigger
from .wechat import CertificationReview, FaceTaskState, FaceVerifyTask, PushEvent, PushOutcome

__all__ = [
    "AccountHealth",
    "CertificationReview",
    "ConnectorAccount",
    "ConnectorFinding",
    "ConnectorLink",
    "ConnectorToken",
    "FaceTaskState",
    "FaceVerifyTask",
    "FindingCode",
    "LinkKind",
    "PushEvent",
    "PushOutcome",
    "SyncRun",
    "SyncStatus",
    "SyncTrigger",
]
