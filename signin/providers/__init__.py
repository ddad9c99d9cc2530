"""Single sign-on providers of our own, on django-allauth's provider framework."""
