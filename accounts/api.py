from rest_framework import mixins, serializers, viewsets

from .access import organization_list_for_user
from .models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "kind", "created_at"]


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = OrganizationSerializer
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "created_at"]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return organization_list_for_user(user=self.request.user).order_by("name")
