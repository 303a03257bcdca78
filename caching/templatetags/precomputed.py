"""{% precomputed fragment %}…{% endprecomputed %}: the stored HTML of a caching.fragments.Fragment,
or what is between the tags, rendered and then stored."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

CSRF_USED = "CSRF_COOKIE_NEEDS_UPDATE"


class PrecomputedNode(template.Node):
    def __init__(self, nodelist, fragment):
        self.nodelist = nodelist
        self.fragment = fragment

    def render(self, context):
        fragment = self.fragment.resolve(context)
        if fragment.html is not None:
            return mark_safe(fragment.html)
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        # A CSRF token belongs to one reader: a fragment that asked for one is not shared.
        csrf_before = request.META.get(CSRF_USED, False)
        request.META[CSRF_USED] = False
        html = self.nodelist.render(context)
        if not request.META[CSRF_USED]:
            fragment.store(str(html))
        request.META[CSRF_USED] = request.META[CSRF_USED] or csrf_before
        return html


@register.tag
def precomputed(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument, a Fragment.")
    nodelist = parser.parse(("endprecomputed",))
    parser.delete_first_token()
    return PrecomputedNode(nodelist, parser.compile_filter(bits[1]))
