"""Form fields that refuse values no row could have before they reach the database.

Django's model choice fields send what they are given to a query: a number too large for a 64-bit
key makes SQLite raise OverflowError and PostgreSQL an out-of-range error, and a NUL character is
refused by PostgreSQL outright. Either way the reader would get a 500. These fields answer such
values with the field's usual "not one of the choices" error instead.
"""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

MAX_ID = 2**63 - 1
_upload_logger = logging.getLogger("core.uploads")


def storable_text(value):
    """False for text PostgreSQL cannot store or compare (it contains a NUL character)."""
    return "\x00" not in str(value)


def row_key(field, value):
    """True when `value` could be a value of `field` in a query that cannot fail."""
    if not storable_text(value):
        return False
    if isinstance(field, (models.IntegerField, models.AutoField)) or (
        isinstance(field, models.ForeignKey)
        and isinstance(field.target_field, (models.IntegerField, models.AutoField))
    ):
        try:
            number = int(str(value).strip())
        except ValueError:
            return False
        return -MAX_ID <= number <= MAX_ID
    return True


class _KeyCheck:
    def _key_field(self):
        model = self.queryset.model
        return model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk

    def _refuse(self, value):
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ModelChoiceField(_KeyCheck, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not row_key(self._key_field(), value):
            self._refuse(value)
        return super().to_python(value)


class ModelMultipleChoiceField(_KeyCheck, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        field = self._key_field()
        for item in value:
            if not row_key(field, item):
                self._refuse(item)
        return super()._check_values(value)


class RowIdField(forms.IntegerField):
    """A whole number that can be a row's id (a hidden parent comment id, for example)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class UploadsStoredFirst:
    """ModelForm mixin: write new uploads of `stored_first` fields to storage while the form is
    validated, so storage that refuses them (not writable, disk full) gives the editor an error on
    that field and the form back with everything else they typed, instead of a 500 mid-save that
    loses the edit. The model's save then finds the file stored and does not write it again.

    A form that fails on something else after this (an inline, say) leaves the stored file unused,
    as a proposed revision's photo is: harmless, and the next save stores the upload afresh.
    """

    stored_first = ()

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        for name in self.stored_first:
            fieldfile = getattr(self.instance, name, None)
            if not fieldfile or fieldfile._committed:
                continue
            try:
                fieldfile.save(fieldfile.name, fieldfile.file, save=False)
            except OSError as error:
                _upload_logger.error(
                    "Could not store an upload for %s.%s: %s",
                    self.instance._meta.label,
                    name,
                    error.strerror or type(error).__name__,
                )
                self.add_error(
                    name,
                    ValidationError(
                        "The photo could not be stored (%(reason)s), so nothing was saved. Everything "
                        "else you changed is still in the form: save again without the photo, or "
                        "choose it again once the site's file storage is fixed.",
                        code="storage",
                        params={"reason": (error.strerror or "storage error").lower()},
                    ),
                )
