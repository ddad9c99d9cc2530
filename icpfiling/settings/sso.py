"""Single sign-on (django-allauth's socialaccount): how provider identities are handled."""

# Provider calls go through the egress guard; new identities never sign up by themselves.
SOCIALACCOUNT_ADAPTER = "signin.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
