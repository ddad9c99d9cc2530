"""The register's choice sets, labelled for people (values from the icp kernel where it
defines them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from icp.channels import Platform as PlatformValue
from icp.types import EntityType as EntityTypeValue

_E = EntityTypeValue


class EntityType(models.TextChoices):
    """Labels for `icp.types.EntityType`; the values are defined there."""

    DEFENCE = _E.DEFENCE.value, _("National defence body")
    GOVERNMENT = _E.GOVERNMENT.value, _("Government body")
    PUBLIC_INSTITUTION = _E.PUBLIC_INSTITUTION.value, _("Public institution")
    ENTERPRISE = _E.ENTERPRISE.value, _("Enterprise")
    INDIVIDUAL = _E.INDIVIDUAL.value, _("Individual")
    SOCIAL_GROUP = _E.SOCIAL_GROUP.value, _("Social organisation")
    PRIVATE_NON_ENTERPRISE = _E.PRIVATE_NON_ENTERPRISE.value, _("Private non-enterprise unit")
    FOUNDATION = _E.FOUNDATION.value, _("Foundation")
    LAW_FIRM = _E.LAW_FIRM.value, _("Law firm")
    FOREIGN_CULTURAL_CENTRE = (
        _E.FOREIGN_CULTURAL_CENTRE.value,
        _("Foreign cultural centre in China"),
    )
    MASS_ORGANISATION = _E.MASS_ORGANISATION.value, _("Mass organisation")
    JUDICIAL_EXPERTISE = _E.JUDICIAL_EXPERTISE.value, _("Judicial expertise institution")
    RELIGIOUS = _E.RELIGIOUS.value, _("Religious organisation")
    FOREIGN_INSTITUTION = _E.FOREIGN_INSTITUTION.value, _("Foreign institution")
    MEDICAL = _E.MEDICAL.value, _("Medical institution")
    NOTARY = _E.NOTARY.value, _("Notary office")
    COLLECTIVE = _E.COLLECTIVE.value, _("Collective economic organisation")
    ARBITRATION = _E.ARBITRATION.value, _("Arbitration institution")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for HK/Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGNER_PERMIT = "foreigner_permit", _("Foreigner permanent residence ID")


class PersonRole(models.TextChoices):
    ENTITY = "entity", _("Entity responsible person (主体负责人)")
    SERVICE = "service", _("Service responsible person (服务负责人)")


class Platform(models.TextChoices):
    """Labels for `icp.channels.Platform`; the values are defined there."""

    WECHAT = PlatformValue.WECHAT.value, _("WeChat")
    ALIPAY = PlatformValue.ALIPAY.value, _("Alipay")
    DOUYIN = PlatformValue.DOUYIN.value, _("Douyin")
    BAIDU = PlatformValue.BAIDU.value, _("Baidu")
    QQ = PlatformValue.QQ.value, _("QQ")
    APP_STORE = PlatformValue.APP_STORE.value, _("App stores (app)")
    QUICK_APP = PlatformValue.QUICK_APP.value, _("Quick app alliance")
    OTHER = PlatformValue.OTHER.value, _("Other")


class ServiceKind(models.TextChoices):
    MINIPROGRAM = "miniprogram", _("Mini-program")
    APP = "app", _("App")
    QUICKAPP = "quickapp", _("Quick app")


class Lifecycle(models.TextChoices):
    IN_DEVELOPMENT = "in_development", _("In development")
    LIVE = "live", _("Live")
    DELISTED = "delisted", _("Delisted")


class RealNameStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    PENDING = "pending", _("Verification pending")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Verification failed")
