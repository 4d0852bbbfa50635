"""Comment forms, layered as in django-contrib-comments: a security form, then the details form."""

import hashlib
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.validators import MaxLengthValidator, URLValidator

from comments.models import Comment
from core.forms import RowIdField
from core.staff import has_staff_powers

TOKEN_SALT = "comments.security-token"


def make_security_token(article):
    """A signed stamp saying which article's page issued the form, and when."""
    return signing.dumps({"article": article.pk, "issued": time.time()}, salt=TOKEN_SALT, compress=True)


class CommentSecurityForm(forms.Form):
    """Checks that a submission came from a form this site served, for this article, at human speed.

    Its errors are spam verdicts, never shown: the view answers a bot as it answers a held comment.
    """

    SPAM_REASONS = ("honeypot", "expired", "too_fast", "replayed", "missing")
    # Verdicts that store nothing. A too-fast or expired form may be a person's, so it is stored
    # as spam for an editor to rescue. A form sent with no token at all came from a cached page whose
    # script did not run: the reader is asked to confirm on a page that carries one ("missing").
    DROP_REASONS = frozenset({"honeypot", "forged", "replayed"})

    # Cached article pages carry the field empty; their script fills it in from the token view
    # (comments.views.security_token) when the reader starts on the form.
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    # A field people never see; software that fills in every field fills this one too. Its name
    # matches nothing a browser's autofill recognises, so a person's browser leaves it empty.
    honeypot = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, article, skip_speed_check=False, issue_token=True, **kwargs):
        self.article = article
        self.skip_speed_check = skip_speed_check
        super().__init__(*args, **kwargs)
        if not self.is_bound and issue_token:
            self.initial["token"] = make_security_token(article)

    def clean_honeypot(self):
        if self.cleaned_data["honeypot"]:
            raise forms.ValidationError("Honeypot filled in.", code="honeypot")
        return ""

    def clean_token(self):
        if not self.cleaned_data["token"]:
            raise forms.ValidationError("The form came without a token.", code="missing")
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT)
        except signing.BadSignature:
            raise forms.ValidationError("The form was not issued here.", code="forged") from None
        if not isinstance(payload, dict) or payload.get("article") != self.article.pk:
            raise forms.ValidationError("The form was issued for another article.", code="forged")
        issued = payload.get("issued")
        if not isinstance(issued, (int, float)):
            raise forms.ValidationError("The form carries no time.", code="forged")
        age = time.time() - issued
        if age > settings.COMMENTS_TOKEN_MAX_AGE:
            raise forms.ValidationError("The form is too old.", code="expired")
        if not self.skip_speed_check and age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
            raise forms.ValidationError("Sent faster than anyone can type.", code="too_fast")
        if cache.get(self._used_key(self.cleaned_data["token"])):
            raise forms.ValidationError("This form has already posted a comment.", code="replayed")
        return self.cleaned_data["token"]

    @staticmethod
    def _used_key(token):
        return f"comments-token-used:{hashlib.sha256(token.encode()).hexdigest()}"

    def mark_used(self):
        """Spend the token once it has stored a comment: a page fetched once cannot post again and again."""
        cache.set(self._used_key(self.data.get("token", "")), 1, timeout=settings.COMMENTS_TOKEN_MAX_AGE)

    def spam_reason(self):
        """The first failed check ("honeypot", "forged", "expired", "too_fast", "replayed", "missing"), or "".

        Anything else wrong with the token (mangled, not a string) counts as forged.
        """
        for field in ("honeypot", "token"):
            for error in self.errors.as_data().get(field, []):
                return error.code if error.code in self.SPAM_REASONS else "forged"
        return ""

    def must_drop(self):
        """True when the submission is to be dropped unstored (answered as if held)."""
        return self.spam_reason() in self.DROP_REASONS


class CommentForm(forms.Form):
    """What a reader writes. Staff, known by their login, write only the text."""

    # autocomplete tokens let browsers and assistive tools fill in a reader's own details (WCAG 1.3.5).
    author_name = forms.CharField(
        label="Name", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    author_email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Never published. Used only if an editor needs to reach you.",
    )
    author_url = forms.URLField(
        label="Website",
        required=False,
        max_length=300,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body_text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Leave a blank line between paragraphs; web addresses become links.",
    )
    parent = RowIdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, user=None, **kwargs):
        self.article = article
        self.user = user
        super().__init__(*args, **kwargs)
        # The limit is read per form, not at import, so a settings change applies at once.
        limit = settings.COMMENTS_MAX_LENGTH
        body = self.fields["body_text"]
        body.max_length = limit
        body.validators.append(MaxLengthValidator(limit))
        body.widget.attrs["maxlength"] = str(limit)
        if self.is_staff:
            for name in ("author_name", "author_email", "author_url"):
                del self.fields[name]

    @property
    def is_staff(self):
        return has_staff_powers(self.user)

    @property
    def staff_name(self):
        """The name a staff reply is signed with: never the login name, which helps guess admin logins."""
        author = getattr(self.user, "author", None)
        return self.user.get_full_name() or (author.name if author else "") or "Editor"

    def clean_author_email(self):
        return self.cleaned_data["author_email"].strip().lower()

    def clean_body_text(self):
        text = self.cleaned_data["body_text"].strip()
        if not text:
            raise forms.ValidationError("Write something before posting.", code="required")
        return text

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.approved().filter(article=self.article, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not available any more. "
                "Post again to add yours as a new comment.",
                code="invalid_parent",
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        if self.is_staff:
            cleaned["author_name"] = self.staff_name
            cleaned["author_email"] = (self.user.email or "").lower()
            cleaned["author_url"] = ""
        return cleaned

    def add_duplicate_error(self):
        self.add_error(
            "body_text",
            forms.ValidationError("You have already posted this comment here.", code="duplicate"),
        )
