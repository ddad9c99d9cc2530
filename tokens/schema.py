"""The OpenAPI description of token sign-in (registered when the app is ready)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.settings import knox_settings


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tokens.authentication.TokenAuthentication"
    name = "tokenAuth"  # the name DRF's token scheme had: clients keep it

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
