"""REST API of API tokens: sign in for one (scripts), list, create and revoke one's own, and
sign out (revoke the token used)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ensure_signed_in

from . import selectors, services
from .authentication import TokenAuthentication
from .models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never the key (only its digest is stored)."""

    expired = serializers.BooleanField(source="is_expired", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry", "last_used_at", "created_from", "expired"]
        read_only_fields = fields


class NewTokenSerializer(ApiTokenSerializer):
    """A token just created, with its key: the only time the key is shown."""

    token = serializers.CharField(read_only=True)

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields


class TokenNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class SignInSerializer(TokenNameSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The current two-factor code (or a recovery code), when the account has one.",
    )


def _new_token_response(token: ApiToken, key: str, *, status_code: int) -> Response:
    data = NewTokenSerializer(token).data
    data["token"] = key
    return Response(data, status=status_code)


def _refusal(e: services.ApplicationError) -> Response:
    if isinstance(e, services.CredentialsInvalidError):
        # The body DRF's obtain_auth_token answered, for scripts that read it.
        return Response({"non_field_errors": [e.message]}, status=e.status_code)
    response = Response({"detail": e.message, **e.extra}, status=e.status_code)
    if isinstance(e, services.SignInThrottledError):
        response["Retry-After"] = str(e.retry_after)
    return response


class TokenSignInView(APIView):
    """POST username + password (+ `code` with two-factor on) → a new token. Throttled with
    the sign-in page's counters: 429 with Retry-After."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=SignInSerializer,
        responses={200: NewTokenSerializer, 400: dict, 403: dict, 429: dict},
    )
    def post(self, request: Request) -> Response:
        form = SignInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            user = services.token_sign_in(
                request=request._request,
                username=data["username"],
                password=data["password"],
                code=data["code"],
            )
        except services.ApplicationError as e:
            return _refusal(e)
        token, key = services.token_create(
            user=user, name=data["name"], request=request._request, via="sign_in"
        )
        return _new_token_response(token, key, status_code=status.HTTP_200_OK)


class TokenListView(APIView):
    """GET: your tokens. POST {name}: a new token (its key is shown once). DELETE: revoke all
    of your tokens."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ApiTokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        user = ensure_signed_in(request.user)
        tokens = selectors.token_list_for_user(user=user)
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(request=TokenNameSerializer, responses={201: NewTokenSerializer})
    def post(self, request: Request) -> Response:
        user = ensure_signed_in(request.user)
        form = TokenNameSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        token, key = services.token_create(
            user=user, name=form.validated_data["name"], request=request._request, via="api"
        )
        return _new_token_response(token, key, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="v1_auth_tokens_destroy_all",
        responses={
            200: inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})
        },
    )
    def delete(self, request: Request) -> Response:
        user = ensure_signed_in(request.user)
        count = services.token_revoke_all(
            user=user, reason="revoked_all", actor=user, request=request._request
        )
        return Response({"revoked": count})


class TokenDetailView(APIView):
    """GET one of your tokens; DELETE revokes it. Another person's token is a 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ApiTokenSerializer})
    def get(self, request: Request, pk: int) -> Response:
        token = selectors.token_for_user(user=ensure_signed_in(request.user), token_id=pk)
        return Response(ApiTokenSerializer(token).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        user = ensure_signed_in(request.user)
        token = selectors.token_for_user(user=user, token_id=pk)
        services.token_revoke(user=user, token=token, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenSignOutView(APIView):
    """POST with `Authorization: Token <key>`: that token is revoked."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        user = ensure_signed_in(request.user)
        if not isinstance(request.auth, ApiToken):
            return Response(
                {"detail": _("Sign out with the token to revoke.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.token_revoke(user=user, token=request.auth, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
