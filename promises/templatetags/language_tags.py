from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import override

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, language_code):
    """The current page in another language, query string kept.

    set_language translates its `next` address by resolving it in the language of the
    set_language request itself, which fails when that differs from the page's (an English
    browser on a Swedish page): so the switch sends the already translated address.
    """
    request = context.get("request")
    if request is None:
        return "/"
    path = request.get_full_path()
    match = request.resolver_match
    if match is None or not match.url_name:
        return path
    with override(language_code):
        try:
            translated = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    query = request.META.get("QUERY_STRING")
    return f"{translated}?{query}" if query else translated
