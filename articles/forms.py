"""Editorial forms: the article admin form with its body editor and tags, subject forms, search."""

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join
from django_prose_editor.fields import ProseEditorFormField

from articles import services
from articles.body_guard import has_guarded_parts, lost_parts
from articles.models import Article, Author, Country, Mineral, SearchFacet, Section, tag_name_error
from core import slugs
from core.forms import ModelChoiceField, UploadsStoredFirst
from core.sanitizer import BodyTooLong, check_length, clean_article_html

# What the editor offers matches what the sanitiser keeps (core.sanitizer.ARTICLE_TAGS).
PROSE_EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Underline": True,
        "Subscript": True,
        "Superscript": True,
        "Code": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False},
        # Tables with captions, header and footer rows, quotes' credits, <q>, <mark>, <small> and <pre>
        # (static/js/article_schema.js): without them an edit anywhere rewrote these parts of a body.
        "ArticleTable": True,
        "ArticleTableRow": True,
        "ArticleTableHeader": True,
        "TableCell": True,
        "Cite": True,
        "InlineQuote": True,
        "Highlighted": True,
        "SmallPrint": True,
        "Preformatted": True,
        "Figure": True,
        "Image": True,
        "Caption": True,
        "History": True,
        "HTML": True,
        # Pasted documents are tidied by the server first (static/js/paste_cleanup.js).
        "PasteCleanup": {"url": reverse_lazy("admin:articles_article_paste")},
    }
}


class SubjectAutocomplete(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        # A typed name sent back with its error is no key to look up: the error message names it.
        return super().optgroups(name, [key for key in value if str(key).isdigit()], attr)


class SubjectChoiceField(forms.ModelMultipleChoiceField):
    """Minerals or countries chosen from those the desk keeps, through the admin's autocomplete. A name
    typed in instead is refused, never made into a new subject: editors add those on the subject's
    own admin page, with its symbol or ISO code."""

    def __init__(self, model, field_name):
        label = model._meta.verbose_name_plural
        super().__init__(
            queryset=model.objects.all(),
            required=False,
            widget=SubjectAutocomplete(Article._meta.get_field(field_name), admin.site),
            help_text=f"Choose from the {label} the desk keeps; editors add new ones under "
            f"{label.capitalize()}.",
            error_messages={
                "invalid_choice": f"“%(value)s” is not one of the {label} the desk keeps. Choose from the "
                f"list; an editor can add it under {label.capitalize()} with its "
                + ("symbol." if model is Mineral else "ISO code."),
                "invalid_pk_value": f"“%(pk)s” is not one of the {label} the desk keeps. Choose from the "
                "list.",
            },
        )

    def clean(self, value):
        # A blank entry (a form posted by hand with "minerals=") chooses nothing rather than failing.
        if isinstance(value, list | tuple):
            value = [item for item in value if str(item).strip()]
        return super().clean(value)

    def prepare_value(self, value):
        # The article's own tags arrive as tag objects from the form's instance; the widget wants keys.
        if value and not isinstance(value, str) and hasattr(value, "__iter__"):
            return [getattr(item, "pk", item) for item in value]
        return super().prepare_value(value)


class ArticleAdminForm(UploadsStoredFirst, forms.ModelForm):
    """The admin's article form. `user` is set by ArticleAdmin.get_form for each request."""

    user = None
    # A writer's pending proposal for a live article: its byline and tags (articles.revisions.drafting).
    proposed_initial = {}
    stored_first = ("hero_image",)

    body = ProseEditorFormField(
        config=PROSE_EDITOR_CONFIG,
        required=False,
        preset="configurable",
        # The admin's variant of the widget: it brings the style sheet that keeps the admin's own
        # headings and lists from dressing the story's.
        widget=AdminTextareaWidget,
        help_text="Paste from a document freely: scripts, styles and unsafe links are removed on save.",
    )

    minerals = SubjectChoiceField(Mineral, "minerals")
    countries = SubjectChoiceField(Country, "countries")

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(self.proposed_initial)
        # Writers see only the statuses they may choose and cannot feature; the rules themselves are
        # enforced by the write path (and reported by clean()).
        if self.user is not None and not services.can_publish(self.user):
            if "status" in self.fields and self.instance.status != Article.Status.PUBLISHED:
                self.fields["status"].choices = [
                    choice
                    for choice in self.fields["status"].choices
                    if choice[0] != Article.Status.PUBLISHED
                ]
            if "is_featured" in self.fields:
                self.fields["is_featured"].disabled = True
                self.fields["is_featured"].help_text = "Editors choose what the front page features."

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        try:
            check_length(body, settings.ARTICLE_BODY_MAX_CHARS)
        except BodyTooLong as error:
            raise forms.ValidationError(f"The body is too long to save. {error}", code="too_long") from error
        loaded = self.get_initial_for_field(self.fields["body"], "body")
        if has_guarded_parts(loaded) and (lost := lost_parts(loaded, clean_article_html(body))):
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        "Not saved: the %(name)s “%(words)s” would become ordinary text. Reload the page to "
                        "start again from the saved story, or delete that text if you meant to remove it.",
                        code="structure_lost",
                        params={"name": name, "words": words},
                    )
                    for name, words in lost
                ]
            )
        return body

    def clean_highlights(self):
        lines = [
            line.strip() for line in self.cleaned_data.get("highlights", "").splitlines() if line.strip()
        ]
        if len(lines) > 6:
            raise forms.ValidationError("Keep highlights to six lines at most.", code="too_many")
        return "\n".join(lines)

    def clean(self):
        cleaned = super().clean()
        if self.user is None or self.errors:
            return cleaned
        # Until _post_clean() copies the cleaned data onto it, self.instance is the row as loaded.
        previous = self.instance if self.instance.pk else None
        try:
            services.article_check_publishing(
                user=self.user, article=self.instance_with(cleaned), previous=previous
            )
        except PermissionDenied as error:
            raise forms.ValidationError(str(error), code="publish_permission") from error
        return cleaned

    def instance_with(self, cleaned):
        """The article as it would be saved, without touching self.instance."""
        candidate = Article(pk=self.instance.pk)
        candidate.status = cleaned.get("status", self.instance.status)
        candidate.publish_at = cleaned.get("publish_at") or self.instance.publish_at
        candidate.is_featured = cleaned.get("is_featured", self.instance.is_featured)
        return candidate


class AuthorAdminForm(UploadsStoredFirst, forms.ModelForm):
    stored_first = ("photo",)

    class Meta:
        model = Author
        fields = "__all__"


class TagAdminForm(forms.ModelForm):
    """A mineral or country in the admin; an empty slug is made from the name (core.slugs).

    Adding one is the deliberate act that makes a subject (the article form only chooses), so a new
    mineral needs its symbol and a new country its ISO code.
    """

    IDENTIFIERS = {"symbol": "a short code for a group, such as REE", "iso_code": "the ISO 3166 alpha-2 code"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, example in self.IDENTIFIERS.items():
            if name in self.fields and self.instance.pk is None:
                self.fields[name].required = True
                self.fields[name].help_text = f"{self.fields[name].help_text} Needed: {example}.".strip()

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and (error := tag_name_error(name)):
            self.add_error("name", forms.ValidationError(error, code="no_slug"))
        elif name and not cleaned.get("slug") and "slug" not in self.errors:
            # An existing tag keeps its address when its name changes; a new one gets the name's.
            cleaned["slug"] = self.instance.slug or slugs.slugify(
                name, max_length=self.instance._meta.get_field("slug").max_length
            )
        return cleaned


SEARCH_QUERY_MAX_CHARS = 200
# Far enough either way for any archive, and far from the calendar's edges, where a whole
# day's bounds in the site's time zone would not fit in a datetime.
SEARCH_EARLIEST_DATE, SEARCH_LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)
DATE_INPUT_ATTRS = {
    "type": "date",
    "min": SEARCH_EARLIEST_DATE.isoformat(),
    "max": SEARCH_LATEST_DATE.isoformat(),
}


class FilterSelect(forms.Select):
    """A <select> with the markup of Django's, written in Python rather than one template per option.

    The search form's filters list every section, mineral and country on every search; this
    keeps them from costing more than the search itself.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class ListedChoices(forms.models.ModelChoiceIterator):
    """Choices read with one plain query: Django's default iterator opens a server-side cursor on
    PostgreSQL (DECLARE ... WITH HOLD), several times dearer than the few rows a filter lists."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for subject in self.queryset:
            yield self.choice(subject)


class FilterChoiceField(ModelChoiceField):
    """A filter by slug; a value no slug could be (a NUL, for one) is "not one of the choices"."""

    iterator = ListedChoices
    widget = FilterSelect


class SearchForm(forms.Form):
    """The reader's search: words in websearch syntax, narrowed by section, tag and dates."""

    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=SEARCH_QUERY_MAX_CHARS,
        strip=True,
        error_messages={"max_length": "Keep the search under %(limit_value)d characters."},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": 'lithium "export ban" -Chile'}),
    )
    section = FilterChoiceField(
        queryset=Section.objects.all(), to_field_name="slug", required=False, empty_label="All sections"
    )
    mineral = FilterChoiceField(
        queryset=Mineral.objects.all(), to_field_name="slug", required=False, empty_label="All minerals"
    )
    country = FilterChoiceField(
        queryset=Country.objects.all(), to_field_name="slug", required=False, empty_label="All countries"
    )
    date_from = forms.DateField(
        label="Published from",
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT_ATTRS),
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD."},
    )
    date_to = forms.DateField(
        label="Published to",
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT_ATTRS),
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD."},
    )

    FILTERS = ("section", "mineral", "country", "date_from", "date_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only tags on live articles: one made for a story not yet out stays unknown to
        # readers until the story runs (and an empty choice would find nothing anyway).
        # The search index keeps that list, so this costs one small lookup per field.
        for name, model in (("mineral", Mineral), ("country", Country)):
            self.fields[name].queryset = model.objects.filter(pk__in=SearchFacet.objects.live(model))

    def clean_date_from(self):
        return self._date_in_range(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return self._date_in_range(self.cleaned_data.get("date_to"))

    @staticmethod
    def _date_in_range(value):
        if value is not None and not SEARCH_EARLIEST_DATE <= value <= SEARCH_LATEST_DATE:
            raise forms.ValidationError(
                f"Enter a date between {SEARCH_EARLIEST_DATE.year} and {SEARCH_LATEST_DATE.year}.",
                code="out_of_range",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError("The start date is after the end date.", code="date_range")
        return cleaned

    def has_criteria(self):
        """True when the reader asked for something, so an empty form shows no list."""
        data = self.cleaned_data
        return bool(data.get("q")) or any(data.get(name) for name in self.FILTERS)

    def search_kwargs(self):
        data = self.cleaned_data
        return {"text": data.get("q", ""), **{name: data.get(name) for name in self.FILTERS}}
