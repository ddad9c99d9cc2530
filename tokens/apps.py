from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TokensConfig(AppConfig):
    name = "tokens"
    verbose_name = _("API tokens")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from accounts.models import User
        from core import purge

        from . import receivers, schema, services

        pre_save.connect(receivers.user_pre_save, sender=User, dispatch_uid="tokens-user-pre")
        post_save.connect(receivers.user_post_save, sender=User, dispatch_uid="tokens-user-post")
        # Tokens past their expiry, with the nightly `core.purge`.
        purge.register("api-tokens", services.expired_tokens_purge)
        del schema  # imported for its OpenAPI extension, which registers itself
