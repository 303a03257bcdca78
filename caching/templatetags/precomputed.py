"""{% precomputed fragment %}…{% endprecomputed %}: the stored HTML of a caching.fragments.Fragment,
or what is between the tags, rendered and then stored; and {% chrome %}, the frame around every
page, kept per address in each process."""

import threading
from collections import OrderedDict

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from caching import fragments

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


# {% chrome %}: rendered chrome by (name, language, scheme, host, address, values named), per
# process, the oldest dropped first beyond CHROME_ENTRIES.
CHROME_ENTRIES = 4096
_chrome: OrderedDict = OrderedDict()
_chrome_lock = threading.Lock()


def forget_chrome():
    """Drop the chrome this process keeps (for tests that change what it depends on)."""
    with _chrome_lock:
        _chrome.clear()


class ChromeNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        request = context.get("request")
        if request is None or not fragments.usable(request):
            return self.nodelist.render(context)
        key = (
            self.name,
            translation.get_language(),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            *(str(value.resolve(context)) for value in self.values),
        )
        with _chrome_lock:
            html = _chrome.get(key)
            if html is not None:
                _chrome.move_to_end(key)
                return html
        html = self.nodelist.render(context)
        with _chrome_lock:
            _chrome[key] = html
            while len(_chrome) > CHROME_ENTRIES:
                _chrome.popitem(last=False)
        return html


@register.tag
def chrome(parser, token):
    """{% chrome "header" [value …] %}…{% endchrome %}: the site's frame around a page (the
    header, the footer, the links in <head>), which depends on nothing but the page's address,
    the language and the values named, never on the data: each process renders it once per
    address and keeps it in memory. For anonymous readers only, like the fragments."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and the values it shows.")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
