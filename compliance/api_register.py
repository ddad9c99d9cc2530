"""The mini-program and domain API lists with their filing state: `compliance_state` on every
read row and `?compliance=` in the list, the same FilterSet as the pages and exports.

The register's viewsets live below this layer (miniprograms/api.py); these subclasses add
what needs the filings and the maintained items, and the API router registers them.
"""

from __future__ import annotations

from rest_framework import serializers

from miniprograms.api import (
    DomainSerializer,
    DomainViewSet,
    MiniProgramSerializer,
    MiniProgramViewSet,
)

from .service_states import (
    DOMAIN_STATES,
    MINIPROGRAM_STATES,
    DomainComplianceFilterSet,
    MiniProgramComplianceFilterSet,
    with_domain_state,
    with_miniprogram_state,
)


class MiniProgramStateSerializer(MiniProgramSerializer):
    # Present on reads (the list and detail querysets are annotated); absent from the answer
    # to a create or update, whose row is not re-read.
    compliance_state = serializers.ChoiceField(choices=MINIPROGRAM_STATES, read_only=True)

    class Meta(MiniProgramSerializer.Meta):
        fields = [*MiniProgramSerializer.Meta.fields, "compliance_state"]


class DomainStateSerializer(DomainSerializer):
    compliance_state = serializers.ChoiceField(choices=DOMAIN_STATES, read_only=True)

    class Meta(DomainSerializer.Meta):
        fields = [*DomainSerializer.Meta.fields, "compliance_state"]


class MiniProgramStateViewSet(MiniProgramViewSet):
    serializer_class = MiniProgramStateSerializer
    filterset_class = MiniProgramComplianceFilterSet

    def get_queryset(self):
        return with_miniprogram_state(super().get_queryset())


class DomainStateViewSet(DomainViewSet):
    serializer_class = DomainStateSerializer
    filterset_class = DomainComplianceFilterSet

    def get_queryset(self):
        return with_domain_state(super().get_queryset())
