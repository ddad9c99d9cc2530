from django import template
from django.utils.html import format_html

from core.idempotency import FIELD, InvalidIdempotencyKey, clean_key, new_key

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context) -> str:
    """The hidden key of a submission form: the one posted (a form shown again after an
    error keeps its key), else a fresh one."""
    request = context.get("request")
    key = ""
    if request is not None and request.method == "POST":
        try:
            key = clean_key(request.POST.get(FIELD))
        except InvalidIdempotencyKey:
            key = ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key or new_key())
