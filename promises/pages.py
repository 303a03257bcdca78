"""What other apps show on the public promise pages.

The promise page shows each commitment's follow-up and the situation picture behind each focus
area, the home page the latest follow-up and the archive what came of each promise. Those apps
import promises, not the other way round, so each adds to a page with `register()` in its own
`pages.py`, which the promises app imports at start-up (as opendata does with `datasets.py`):

    from promises import pages

    def followup_of_promise(promise):
        return {"followup": ...}

    pages.register("promise_detail", followup_of_promise)

The page's view calls every provider of the page with what it shows (the keyword arguments of
`context()`) and adds what they return to its context: the queries run in the view, and the
templates only display.
"""

from collections.abc import Callable

# Each page, and the keyword arguments its providers are called with.
PAGES = {
    "home": (),
    "archive": ("promises",),
    "promise_detail": ("promise",),
    "municipality_detail": ("municipality",),
}

_providers: dict[str, list[Callable[..., dict]]] = {page: [] for page in PAGES}


def register(page, provider):
    if page not in PAGES:
        raise ValueError(f"There is no promise page called {page!r}: choose from {list(PAGES)}.")
    _providers[page].append(provider)
    return provider


def context(page, **shown):
    """What the page's registered providers add to its context, given what the page shows."""
    extra = {}
    for provider in _providers[page]:
        extra.update(provider(**shown))
    return extra
