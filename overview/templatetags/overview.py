from django import template

register = template.Library()


@register.filter
def percent(share):
    """A share of 0–1 as a whole percentage, "40 %"; "" for none."""
    if share is None:
        return ""
    return f"{round(share * 100)}\u00a0%"
