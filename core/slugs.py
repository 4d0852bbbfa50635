"""Addresses in any script: the one slug rule for articles, sections, tags, sources and authors.

A slug is the name itself, readable in its own script: NFKC-normalised, lower-cased, letters,
combining marks and digits of any script kept, spaces and dashes joined into single hyphens
("Côte d'Ivoire" → "côte-divoire", "钕" → "钕", "भारत" → "भारत"). Django's own slugify and
slug validator drop combining marks, which turns Devanagari, Thai or Tamil names into other
words ("भारत" → "भरत"); this rule keeps them, and the model field, form field and URL
converter below all accept exactly what `slugify` makes. Links carry slugs percent-encoded,
as reverse() encodes them; browsers show them in their own script.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

_SEPARATORS = re.compile(r"[-\s]+")
# Lower-casing "İ" gives "i" plus a combining dot above; the i has its dot already.
_DOTTED_I = re.compile("(?<=[ij])\u0307")
_WORD_CATEGORIES = ("L", "M", "N")
INVALID_SLUG_MESSAGE = "Use letters, digits, hyphens or underscores only, in any script."


def _is_word_char(char):
    return char == "_" or unicodedata.category(char)[0] in _WORD_CATEGORIES


def slugify(value, max_length=None):
    """The slug of a name or title; empty when it has no letters or digits in any script."""
    text = unicodedata.normalize("NFKC", str(value)).lower()
    kept = "".join(char if _is_word_char(char) or char == "-" or char.isspace() else "" for char in text)
    # After dropping what is no word character: "I:̇" must not leave an i with a second dot.
    kept = _DOTTED_I.sub("", kept)
    slug = _SEPARATORS.sub("-", kept).strip("-_")
    if max_length is not None:
        slug = slug[:max_length].rstrip("-_")
    # Dropping a character can leave a letter and a mark that compose; store them composed.
    return unicodedata.normalize("NFC", slug)


def is_slug(value):
    """True for what slugify can make: word characters of any script, joined by hyphens."""
    return (
        bool(value)
        and all(_is_word_char(char) or char == "-" for char in value)
        and (unicodedata.normalize("NFKC", value) == value)
    )


def validate_slug(value):
    if not is_slug(value):
        raise ValidationError(INVALID_SLUG_MESSAGE, code="invalid", params={"value": value})


class SlugFormField(forms.CharField):
    default_validators = [validate_slug]

    def to_python(self, value):
        # Typed or pasted decomposed (a letter, then its accent), a slug is stored composed.
        return unicodedata.normalize("NFKC", super().to_python(value))


class SlugField(models.SlugField):
    """A SlugField that takes slugs in any script (see the module's docstring).

    It deconstructs as Django's SlugField(allow_unicode=True), which is what the database
    sees; the validator is this module's.
    """

    default_validators = [validate_slug]

    def __init__(self, *args, **kwargs):
        # Django's SlugField swaps in its own unicode validator when told allow_unicode, and
        # builds the field's validators during __init__: say it afterwards.
        kwargs.pop("allow_unicode", None)
        super().__init__(*args, **kwargs)
        self.allow_unicode = True

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.SlugField", args, kwargs

    def formfield(self, **kwargs):
        return super(models.SlugField, self).formfield(**{"form_class": SlugFormField, **kwargs})


class SlugConverter:
    """`<slug:…>` for slugs in any script: a path segment that is_slug accepts.

    The pattern lets any segment through and to_python decides, since a regular expression
    cannot name Unicode's combining marks; a segment that is no slug does not match (404),
    and reverse() refuses one (NoReverseMatch) rather than making a link that cannot work.
    """

    regex = "[^/]+"

    def to_python(self, value):
        # A browser or a mail client may send a name decomposed (NFD); slugs are stored composed.
        value = unicodedata.normalize("NFKC", value)
        if not is_slug(value):
            raise ValueError(value)
        return value

    def to_url(self, value):
        if not is_slug(value):
            raise ValueError(value)
        return value
