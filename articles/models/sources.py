"""The register of sources (outlets, their owners and controllers) and the disclaimers articles carry
about them, with the one rule for which disclaimer applies and the words used when a fact is missing."""

from string import Formatter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models.subjects import Country, Subject
from core import slugs

# The facts a disclaimer's placeholders are filled from; without a lead source, neutral words, so
# readers never see a bare "{source}".
PLACEHOLDERS = ("source", "country", "owner", "controller", "kind")
NO_SOURCE_FACTS = {
    "source": "an unnamed source",
    "country": "an unstated country",
    "owner": "an undisclosed owner",
    "controller": "an undisclosed controller",
    "kind": "outlet",
}


def fill_placeholders(text, facts):
    """`text` with each {placeholder} replaced by its fact. A placeholder that is unknown or badly
    written (Disclaimer.clean refuses both) is dropped rather than shown to readers."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return text.replace("{", "").replace("}", "")
    return "".join(
        literal + (facts.get(name, "") if name is not None else "") for literal, name, _, _ in parts
    )


UNSET = object()


class DisclaimerQuerySet(models.QuerySet):
    def site_default(self):
        """The site-wide default disclaimer, or None when the desk has chosen none."""
        return self.filter(is_site_default=True).first()

    def applying(self, *chosen, site_default=UNSET):
        """The one fallback rule: the first disclaimer chosen, in the order given (an article's own, then
        its lead source's default), else the site-wide default; None when there is none. Pass
        `site_default` to spare its query when checking many."""
        for disclaimer in chosen:
            if disclaimer is not None:
                return disclaimer
        return self.site_default() if site_default is UNSET else site_default


class Disclaimer(models.Model):
    title = models.CharField(max_length=120, unique=True, help_text="For editors only, e.g. 'State media'.")
    text = models.TextField(
        help_text=(
            "Shown under articles. Placeholders filled from the lead source: {source}, {country}, "
            "{owner}, {controller}, {kind}. Write {{ or }} for a brace itself."
        )
    )
    is_site_default = models.BooleanField(
        default=False,
        verbose_name="site-wide default",
        help_text=(
            "Applies to articles when neither the article nor its lead source names a disclaimer. "
            "At most one disclaimer is the default; with none, such articles carry no disclaimer."
        ),
    )

    objects = DisclaimerQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_site_default"],
                condition=Q(is_site_default=True),
                name="disclaimer_one_site_default",
                violation_error_message="Only one disclaimer can be the site-wide default.",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        try:
            names = {name for _, name, _, _ in Formatter().parse(self.text) if name is not None}
        except ValueError as error:
            raise ValidationError(
                {
                    "text": ValidationError(
                        "Put each placeholder in a pair of braces, e.g. {source}; "
                        "write {{ or }} for a brace itself.",
                        code="malformed",
                    )
                }
            ) from error
        if unknown := sorted(names - set(PLACEHOLDERS)):
            raise ValidationError(
                {
                    "text": ValidationError(
                        "Unknown placeholder %(unknown)s. Use only %(known)s.",
                        code="unknown_placeholder",
                        params={
                            "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                            "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                        },
                    )
                }
            )

    def render(self, source=None):
        """The text as readers see it, filled in with `source`'s facts (neutral words without one)."""
        return fill_placeholders(self.text, source.disclaimer_facts() if source else NO_SOURCE_FACTS)


class Source(Subject):
    articles_path = "citations__article"
    article_lookup = "citations__source"

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        STATE_MEDIA = "state_media", "State media"
        WIRE = "wire", "Wire service"
        GOVERNMENT = "government", "Government"
        COMPANY = "company", "Company"
        RESEARCH = "research", "Research"

    name = models.CharField(max_length=160, unique=True)
    slug = slugs.SlugField(max_length=160, unique=True)
    url = models.URLField(blank=True, verbose_name="website")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWSPAPER)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    owner = models.CharField(max_length=200, blank=True, help_text="Who owns the outlet.")
    controlled_by = models.CharField(
        max_length=200, blank=True, help_text="Who ultimately controls it, where that differs from the owner."
    )
    notes = models.TextField(
        blank=True, help_text="Shown on the source page: background readers should know."
    )
    default_disclaimer = models.ForeignKey(
        Disclaimer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        help_text="Used on articles whose lead source this is, unless the article names its own.",
    )

    # Set before saving to date a change of owner or controller (articles.signals records it in
    # the source's ownership history); without it the change holds from today.
    ownership_since = None
    ownership_recorded_by = None

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})

    # Outlets that speak for themselves: a ministry, a company, a research body.
    PRIMARY_KINDS = frozenset({Kind.GOVERNMENT, Kind.COMPANY, Kind.RESEARCH})

    @property
    def is_state_media(self):
        return self.kind == self.Kind.STATE_MEDIA

    @property
    def is_primary(self):
        return self.kind in self.PRIMARY_KINDS

    def reader_disclaimer(self):
        """The disclaimer articles led by this source carry now, filled in: its own default, else
        the site-wide default; empty when neither exists."""
        disclaimer = Disclaimer.objects.applying(self.default_disclaimer)
        return disclaimer.render(self) if disclaimer else ""

    def ownership_periods(self):
        """(record, until) for each dated owner and controller, newest first; `until` is None for the current
        one."""
        periods, until = [], None
        for record in self.ownership_history.all():
            periods.append((record, until))
            until = record.since or until
        return periods

    def disclaimer_facts(self):
        return {
            "source": self.name,
            "country": self.country.name if self.country_id else NO_SOURCE_FACTS["country"],
            "owner": self.owner or NO_SOURCE_FACTS["owner"],
            "controller": self.controlled_by or self.owner or NO_SOURCE_FACTS["controller"],
            "kind": self.get_kind_display().lower(),
        }
