"""WeCom (企业微信) web sign-in as a django-allauth OAuth2 provider."""
