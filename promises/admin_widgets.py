"""Admin widgets that every editor can use with a screen reader and that give valid HTML, and the
mixin that puts them in every admin of the portal (AccessibleAdminMixin).

Django's own admin widgets fail axe-core or the Nu HTML Checker in a few places, mended here:

- the autocomplete (Select2) gives its combobox and search field no accessible name: its
  select names them (static/js/admin_accessibility.js), and its single-choice select starts with
  an empty placeholder option that has text, as HTML requires of a required select;
- a date field's aria-describedby names a time-zone warning that only time fields get;
- a file field's label is a legend, which leaves the file input itself without a name;
- a group of checkboxes with a help text is described by an id that its help text lacks;
- the fields of a tabular inline or an editable list are labelled by a column heading only,
  which is no label: they get an aria-label with the field's name.
"""

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.forms.boundfield import BoundField
from django.utils.html import strip_tags

from .plain_language import PlainLanguageTextarea

EMPTY_LABEL = "---------"


class _NamedAutocompleteMixin:
    # Their names come from static/js/admin_accessibility.js, which every admin page loads.

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.allow_multiple_selected:
            return groups
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = EMPTY_LABEL
        else:
            options.insert(0, self.create_option(name, "", EMPTY_LABEL, False, 0))
        return groups


class AutocompleteSelect(_NamedAutocompleteMixin, admin_widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_NamedAutocompleteMixin, admin_widgets.AutocompleteSelectMultiple):
    pass


class DateWidget(admin_widgets.AdminDateWidget):
    """The admin's date field without an aria-describedby for a time-zone warning that the
    admin's script adds to time fields only."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("aria-describedby", None)
        return context


class FileWidget(admin_widgets.AdminFileWidget):
    """The admin's file field, labelled by a label of its own rather than a fieldset's legend."""

    use_fieldset = False


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose group answers to the group's id: the admin names the help text, and the
    fieldset's aria-describedby, after `id_for_label`, which Django leaves empty for a group."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


class TableCellBoundField(BoundField):
    """A field in a table cell, whose help text is in the column's heading (as a tooltip), not
    beside the field: the field is not described by an element that is not there."""

    @property
    def aria_describedby(self):
        return f"{self.auto_id}_error" if self.auto_id and self.errors else ""


def label_fields(form_class):
    """Give each field of a form shown as a table row an aria-label: its name, with its help
    text as the column heading gives it."""
    for field in form_class.base_fields.values():
        widget = getattr(field.widget, "widget", field.widget)  # inside the related wrapper
        if field.label and not widget.is_hidden:
            label = str(field.label).capitalize()
            if field.help_text:
                label = f"{label} ({strip_tags(str(field.help_text))})"
            widget.attrs.setdefault("aria-label", label)
    form_class.bound_field_class = TableCellBoundField
    return form_class


class AccessibleAdminMixin:
    """For ModelAdmins and inlines: the widgets above, and the plain-language aid
    (promises.plain_language) on the text fields named in `plain_language_fields`."""

    formfield_overrides = {
        models.DateField: {"widget": DateWidget},
        models.FileField: {"widget": FileWidget},
    }
    plain_language_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.plain_language_fields:
            kwargs["widget"] = PlainLanguageTextarea
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        label_fields(formset.form)
        return formset

    def get_formset(self, request, obj=None, **kwargs):
        # Only inlines have get_formset(); a tabular one labels its cells.
        formset = super().get_formset(request, obj, **kwargs)
        if self.template.endswith("tabular.html"):
            label_fields(formset.form)
        return formset
