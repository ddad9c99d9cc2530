"""REST API for the register. Reads through selectors, writes through services."""

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.access import can_reveal_pii, organization_list_for_user
from audit.actions import AccessAction
from audit.services import record_event
from core import pii
from core.api import ServiceModelViewSet, scoped_pk_field

from . import selectors, services
from .filters import (
    DomainFilterSet,
    LicenceFilterSet,
    MiniProgramFilterSet,
    OperatorFilterSet,
    PersonFilterSet,
)
from .models import Domain, IcpLicence, MiniProgram, Operator, Province, ResponsiblePerson


class OperatorFixedOnUpdate(serializers.ModelSerializer):
    """A register row's operator is chosen when it is created and fixed afterwards."""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["operator"].read_only = True
        return fields


class OperatorSerializer(serializers.ModelSerializer):
    organization = scoped_pk_field(organization_list_for_user)
    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    province_name = serializers.CharField(source="province.name_zh", read_only=True)
    authority = serializers.CharField(source="province.authority_zh", read_only=True)

    class Meta:
        model = Operator
        fields = [
            "id",
            "organization",
            "name_zh",
            "name_en",
            "entity_type",
            "uscc",
            "province",
            "province_name",
            "authority",
            "address",
            "entity_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Services own validation and uniqueness: no model validators here.
        validators: list[Any] = []
        extra_kwargs: dict[str, dict[str, Any]] = {"uscc": {"validators": []}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["organization"].read_only = True
        return fields


class OperatorViewSet(ServiceModelViewSet):
    serializer_class = OperatorSerializer
    selector = selectors.operator_list_for_user
    create_service = services.operator_create
    update_service = services.operator_update
    update_instance_kwarg = "operator"
    filter_backends = [DjangoFilterBackend]
    filterset_class = OperatorFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        org = data.pop("organization")
        serializer.instance = services.operator_create(
            user=self.request.user, organization_id=org.pk, **data
        )


class MiniProgramSerializer(OperatorFixedOnUpdate):
    operator = scoped_pk_field(selectors.operator_list_for_user)
    operator_name = serializers.CharField(source="operator.name_zh", read_only=True)

    class Meta:
        model = MiniProgram
        fields = [
            "id",
            "operator",
            "operator_name",
            "name",
            "kind",
            "platform",
            "appid",
            "launch_date",
            "lifecycle",
            "content_category",
            "icp_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []


class MiniProgramViewSet(ServiceModelViewSet):
    serializer_class = MiniProgramSerializer
    selector = selectors.miniprogram_list_for_user
    create_service = services.miniprogram_create
    update_service = services.miniprogram_update
    update_instance_kwarg = "miniprogram"
    filter_backends = [DjangoFilterBackend]
    filterset_class = MiniProgramFilterSet


class DomainSerializer(OperatorFixedOnUpdate):
    operator = scoped_pk_field(selectors.operator_list_for_user)
    name = serializers.CharField(max_length=253)
    display_name = serializers.CharField(read_only=True)
    tld = serializers.CharField(source="tld_id", read_only=True)
    tld_status = serializers.CharField(read_only=True)
    registrant_mismatch = serializers.BooleanField(read_only=True)

    class Meta:
        model = Domain
        fields = [
            "id",
            "operator",
            "name",
            "display_name",
            "tld",
            "tld_status",
            "site_name",
            "registrar",
            "real_name_status",
            "registrant_name",
            "registrant_mismatch",
            "expires_on",
            "live_since",
            "icp_number",
            "psb_number",
            "psb_filed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []


class DomainViewSet(ServiceModelViewSet):
    serializer_class = DomainSerializer
    selector = selectors.domain_list_for_user
    create_service = services.domain_create
    update_service = services.domain_update
    update_instance_kwarg = "domain"
    filter_backends = [DjangoFilterBackend]
    filterset_class = DomainFilterSet


class PersonSerializer(serializers.ModelSerializer):
    operator = scoped_pk_field(selectors.operator_list_for_user)
    miniprogram = scoped_pk_field(
        selectors.miniprogram_list_for_user, required=False, allow_null=True
    )
    domain = scoped_pk_field(selectors.domain_list_for_user, required=False, allow_null=True)
    id_number = serializers.CharField(write_only=True, max_length=40)
    id_number_masked = serializers.CharField(read_only=True)
    mobile = serializers.CharField(max_length=20)

    class Meta:
        model = ResponsiblePerson
        fields = [
            "id",
            "operator",
            "role",
            "miniprogram",
            "domain",
            "name",
            "id_type",
            "id_number",
            "id_number_masked",
            "id_expires_on",
            "mobile",
            "email",
            "emergency_contact",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["mobile"] = pii.mask_phone(instance.mobile)
        return data


class PersonViewSet(ServiceModelViewSet):
    serializer_class = PersonSerializer
    selector = selectors.person_list_for_user
    create_service = services.person_create
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilterSet

    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Return the unmasked ID number to holders of `miniprograms.reveal_pii`; logged."""
        person = self.get_object()
        if not can_reveal_pii(request.user):
            raise PermissionDenied("You may not reveal personal information.")
        record_event(AccessAction.ID_REVEALED, actor=request.user, target=person, request=request)
        return Response(
            {"id": person.pk, "id_number": person.reveal_id_number(), "mobile": person.mobile}
        )


class LicenceSerializer(OperatorFixedOnUpdate):
    operator = scoped_pk_field(selectors.operator_list_for_user)
    operator_name = serializers.CharField(source="operator.name_zh", read_only=True)

    class Meta:
        model = IcpLicence
        fields = [
            "id",
            "operator",
            "operator_name",
            "number",
            "scope",
            "issued_on",
            "expires_on",
            "last_annual_report_year",
            "created_at",
            "updated_at",
        ]
        # The last reported year moves only with a recorded report (…/annual-reports/).
        read_only_fields = ["last_annual_report_year", "created_at", "updated_at"]
        validators: list[Any] = []


class LicenceViewSet(ServiceModelViewSet):
    """Commercial ICP licences: renewing one is a PATCH of its validity dates."""

    serializer_class = LicenceSerializer
    selector = selectors.licence_list_for_user
    create_service = services.licence_create
    update_service = services.licence_update
    update_instance_kwarg = "licence"
    filter_backends = [DjangoFilterBackend]
    filterset_class = LicenceFilterSet
