from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key], or None when the key (or the mapping, e.g. from an app not installed) is
    missing: `{{ followup.by_commitment|lookup:commitment.pk }}`."""
    return mapping.get(key) if isinstance(mapping, dict) else None
