def upsert(model, defaults=None, **lookup):
    """Like update_or_create, but saves only what changed, so a second demo load writes nothing
    (and adds no history rows)."""
    defaults = defaults or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **defaults)
        instance.full_clean()
        instance.save()
        return instance, True
    changed = [name for name, value in defaults.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance.full_clean()
        instance.save()
    return instance, False
