from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from accounts.api import OrganizationViewSet
from filings.api import FilingViewSet, NumberParseView
from miniprograms.api import DomainViewSet, MiniProgramViewSet, OperatorViewSet, PersonViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("operators", OperatorViewSet, basename="operator")
router.register("persons", PersonViewSet, basename="person")
router.register("miniprograms", MiniProgramViewSet, basename="miniprogram")
router.register("domains", DomainViewSet, basename="domain")
router.register("filings", FilingViewSet, basename="filing")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("numbers/parse/", NumberParseView.as_view(), name="number-parse"),
    *router.urls,
]
