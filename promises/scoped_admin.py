"""The admin's base classes for objects that belong to parties, used by every app's admin.

Lists, change pages and history come from the model QuerySet's for_user(), so other parties'
objects are absent and 404 on direct URLs. On top of the role group's model permissions,
seeing an object is up to promises.permissions.can_view() and changing or deleting it up to
promises.permissions.can_change(), which ask the object itself (get_parties(), get_editors(),
is_locked).
"""

import datetime

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import permissions
from .admin_widgets import AccessibleAdminMixin
from .models import Membership


class SharedChoices(BaseChoiceIterator):
    """A model choice field's choices, read once and shared by the copies of the field in every
    form of a formset: each row would otherwise query them again."""

    def __init__(self, field):
        self.iterator = field.iterator(field)

    @cached_property
    def choices(self):
        return list(self.iterator)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


def share_choices(field):
    """Give the rows of a formset made from this base field one set of choices to render."""
    field.choices = SharedChoices(field)


class ObjectPermissionsMixin:
    """Changing or deleting an object (or, in an inline, its parent's rows) needs the right to
    change it, on top of the model permission."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )


class PartiesForm(forms.ModelForm):
    """A form that picks the parties of what it saves; the admin sets `user`, who must
    coordinate one of them, or they could not edit it afterwards.

    The parties of a many-to-many field are saved only after the object, so this form, not a
    check of the saved object, keeps a user from putting content under parties they only view.
    """

    user = None
    parties_fields = ["parties"]

    def clean(self):
        cleaned_data = super().clean()
        if self.user is None or any(name not in cleaned_data for name in self.parties_fields):
            return cleaned_data  # a field's own error comes first
        chosen = []
        for name in self.parties_fields:
            value = cleaned_data[name]
            if isinstance(value, Model):
                chosen.append(value)
            elif value is not None:
                chosen.extend(value)
        if not permissions.has_role(self.user, chosen, Membership.Role.COORDINATOR):
            self.add_error(
                self.parties_fields[0],
                ValidationError(
                    _(
                        "Include a party you are a coordinator of, "
                        "or you could not edit it afterwards."
                    )
                ),
            )
        return cleaned_data


class LabelledChanges(HistoricalRecordContextHelper):
    """A changed field in the editor's words: a choice by its label in their language, not
    its code (`in_review`); a time in local time to the minute; nothing as "–"."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None:
            return "–"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(AccessibleAdminMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin, whose version page is a 404 for an id that is no id (not a 500),
    whose changes name choices by their labels, and whose rows say why they were made."""

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledChanges(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        # In the language of the page that saved it, for the history view.
        obj._change_reason = str(_("Changed in the admin") if change else _("Added in the admin"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            reason = (
                _("Changed on the page of %(parent)s")
                if inline_form.instance.pk
                else _("Added on the page of %(parent)s")
            )
            inline_form.instance._change_reason = str(reason) % {"parent": form.instance}
        super().save_formset(request, form, formset, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        try:
            history_model._meta.get_field("history_id").to_python(version_id)
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_form_view(request, object_id, version_id, extra_context)


class PartyScopedAdmin(ObjectPermissionsMixin, HistoryAdmin):
    """An admin whose rows are limited to the parties the signed-in user belongs to. Choices of
    related rows are limited to what for_user() gives, unless get_choices() says otherwise."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not "doesn't exist, perhaps deleted?": that would tell others' objects apart.
            raise Http404
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or permissions.can_view(request.user, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # for forms that check it, like PartiesForm
        return form

    def save_model(self, request, obj, form, change):
        # Choices offer the rows of every party the user belongs to, in any role, so what is
        # about to be saved must still be the user's to edit: a viewer of B puts nothing under
        # B. Checked before anything is written; parties picked on the form itself are the
        # PartiesForm's to check, since they are saved only after the object.
        if not isinstance(form, PartiesForm) and not permissions.can_change(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # An inline's rows go with the right to change their parent (KeepOnRecordFormSet
        # checks each row); an object of its own needs the right to delete it.
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_delete(request.user, obj)
        )

    def delete_queryset(self, request, queryset):
        # The list's bulk delete asks has_delete_permission() without an object: each row is
        # checked here, and none is deleted if one may not be.
        if not all(permissions.can_delete(request.user, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def get_choices(self, db_field, request):
        """The rows a user may pick for a relation: by default those for_user() gives."""
        queryset = db_field.remote_field.model._default_manager.all()
        if hasattr(queryset, "for_user"):
            return queryset.for_user(request.user)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self.get_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = self.get_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        # A version is for reading. Reverting would save its status and dates as they were,
        # past the joint sign-off (a published version back online with new content), so
        # old content comes back only through the normal edit and sign-off.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class KeepOnRecordFormSet(forms.BaseInlineFormSet):
    """An inline's rows marked for deletion must be deletable (``is_deletable``, e.g. a
    commitment never published nor followed up); the others are refused with a reason."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if (
                self.can_delete
                and form.instance.pk
                and self._should_delete_form(form)
                and not getattr(form.instance, "is_deletable", True)
            ):
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "%(object)s is on record (published or followed up) and cannot be "
                            "deleted."
                        )
                        % {"object": form.instance}
                    ),
                )


class PartyScopedInline(AccessibleAdminMixin, ObjectPermissionsMixin):
    """An inline whose rows are edited with its parent, by those who may change the parent."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )
