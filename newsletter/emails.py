"""Every message the newsletter sends: built here, sent by services and tasks.

The daily digest is rendered once per topic set with marker strings where each subscriber's
own links go; `digest_message` swaps the markers for that subscriber's signed links.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Correction, citations_prefetch
from core.site import absolute_url, site_host
from newsletter import tokens

UNSUBSCRIBE_MARK = "@@unsubscribe-url@@"
TOPICS_MARK = "@@topics-url@@"


def subscriber_links(subscriber):
    unsubscribe = tokens.make(tokens.UNSUBSCRIBE, subscriber)
    return {
        "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe])),
        "one_click_url": absolute_url(reverse("newsletter:unsubscribe-one-click", args=[unsubscribe])),
        "unsubscribe_token": unsubscribe,
        "topics_url": absolute_url(
            reverse("newsletter:topics", args=[tokens.make(tokens.TOPICS, subscriber)])
        ),
    }


def _base_context():
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "archive_url": absolute_url(reverse("newsletter:archive")),
    }


def _message(template, subject, to, context, *, headers=None, connection=None):
    context = {**_base_context(), **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"newsletter/emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"newsletter/emails/{template}.html", context), "text/html")
    return message


def confirmation_message(subscriber):
    confirm_url = absolute_url(reverse("newsletter:confirm", args=[tokens.make(tokens.CONFIRM, subscriber)]))
    return _message(
        "confirm",
        f"Confirm your subscription to {settings.SITE_NAME}",
        subscriber.email,
        {
            "confirm_url": confirm_url,
            "valid_days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
            "topics_url": absolute_url(
                reverse("newsletter:topics", args=[tokens.make(tokens.TOPICS, subscriber)])
            ),
        },
    )


def already_subscribed_message(subscriber):
    return _message(
        "already_subscribed",
        f"You already get the {settings.SITE_NAME} daily update",
        subscriber.email,
        subscriber_links(subscriber),
    )


def welcome_message(subscriber):
    return _message(
        "welcome",
        f"Welcome to the {settings.SITE_NAME} daily update",
        subscriber.email,
        subscriber_links(subscriber),
    )


def render_digest(daily_update, articles, *, minerals=(), countries=()):
    """Text and HTML bodies for one topic set, with link markers still in place. Each story carries its
    lead source and that source's owner, as its page does."""
    articles = list(articles)
    prefetch_related_objects(articles, citations_prefetch())
    context = {
        **_base_context(),
        "daily_update": daily_update,
        "articles": [(article, absolute_url(article.get_absolute_url())) for article in articles],
        "topic_names": [tag.name for tag in minerals] + [tag.name for tag in countries],
        "corrections": list(
            Correction.objects.material_between(daily_update.window_start, daily_update.window_end)
        ),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "topics_url": TOPICS_MARK,
    }
    return (
        render_to_string("newsletter/emails/digest.txt", context),
        render_to_string("newsletter/emails/digest.html", context),
    )


def message_id_parts(daily_update):
    """What comes before and after a delivery's id in the Message-ID of each copy of `daily_update`."""
    return f"<daily-{daily_update.date:%Y%m%d}-", f"@{site_host()}>"


def message_id(delivery):
    prefix, suffix = message_id_parts(delivery.daily_update)
    return f"{prefix}{delivery.pk}{suffix}"


def list_id():
    return f'"{settings.SITE_NAME} daily update" <daily.{site_host()}>'


def _digest_copy(daily_update, rendered, *, to, message_id, links, mailto_subject, connection=None):
    text, html = rendered
    for mark, url in ((UNSUBSCRIBE_MARK, links["unsubscribe_url"]), (TOPICS_MARK, links["topics_url"])):
        text, html = text.replace(mark, url), html.replace(mark, url)
    mailto = f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject={mailto_subject}"
    message = EmailMultiAlternatives(
        subject=daily_update.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers={
            "Message-ID": message_id,
            "List-Id": list_id(),
            "List-Unsubscribe": f"<{links['one_click_url']}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Archive": f"<{absolute_url(reverse('newsletter:archive'))}>",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _mailto_subject(unsubscribe_token):
    return quote("unsubscribe " + unsubscribe_token)


def digest_message(delivery, rendered, *, connection=None):
    """One subscriber's copy of a rendered digest, with the headers mail clients act on."""
    links = subscriber_links(delivery.subscriber)
    return _digest_copy(
        delivery.daily_update,
        rendered,
        to=delivery.subscriber.email,
        message_id=message_id(delivery),
        links=links,
        mailto_subject=_mailto_subject(links["unsubscribe_token"]),
        connection=connection,
    )


class DigestCopies:
    """One topic set's digest built once as the bytes that go on the wire, with markers where each
    subscriber's address, Message-ID and signed links go: a copy then costs two signatures and a
    few byte replacements instead of a MIME build. Over Django's SMTP backend copies go straight to
    the open connection; any other backend (console, tests) gets the same message built the usual way."""

    TO, MESSAGE_ID = "nr-recipient@copy.invalid", "<nr-message-id@copy.invalid>"
    UNSUBSCRIBE, MAILTO, TOPICS = "NRUNSUBSCRIBEMARKNR", "NRMAILTOMARKNR", "NRTOPICSMARKNR"

    def __init__(self, daily_update, rendered):
        self.daily_update, self.rendered = daily_update, rendered
        links = {
            "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[self.UNSUBSCRIBE])),
            "one_click_url": absolute_url(
                reverse("newsletter:unsubscribe-one-click", args=[self.UNSUBSCRIBE])
            ),
            "topics_url": absolute_url(reverse("newsletter:topics", args=[self.TOPICS])),
        }
        message = _digest_copy(
            daily_update,
            rendered,
            to=self.TO,
            message_id=self.MESSAGE_ID,
            links=links,
            mailto_subject=_mailto_subject(self.MAILTO),
        ).message()
        # Bodies sent as they are (7bit or 8bit) keep the markers whole; a part the encoder had to
        # wrap (quoted-printable, base64) could split one, so such a digest is built copy by copy.
        encodings = {
            part.get("Content-Transfer-Encoding", "7bit").lower()
            for part in message.walk()
            if not part.is_multipart()
        }
        self.wire = message.as_bytes(linesep="\r\n") if encodings <= {"7bit", "8bit"} else None
        self.sender = None

    def copy(self, delivery):
        """The wire bytes of `delivery`'s copy."""
        subscriber = delivery.subscriber
        unsubscribe = tokens.make(tokens.UNSUBSCRIBE, subscriber)
        return (
            self.wire.replace(self.TO.encode(), subscriber.email.encode())
            .replace(self.MESSAGE_ID.encode(), message_id(delivery).encode())
            .replace(self.UNSUBSCRIBE.encode(), unsubscribe.encode())
            .replace(self.MAILTO.encode(), quote(unsubscribe).encode())
            .replace(self.TOPICS.encode(), tokens.make(tokens.TOPICS, subscriber).encode())
        )

    def send(self, delivery, connection):
        """Hand `delivery`'s copy to `connection`, an open mail connection; raises what the server said."""
        smtp = getattr(connection, "connection", None)
        if (
            self.wire is None
            or not isinstance(connection, SMTPBackend)
            or smtp is None
            or not delivery.subscriber.email.isascii()
        ):
            connection.send_messages([digest_message(delivery, self.rendered, connection=connection)])
            return
        if self.sender is None:
            self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
        smtp.sendmail(self.sender, [delivery.subscriber.email], self.copy(delivery))


def preview_parts(daily_update, articles):
    """Text and HTML as an every-topic subscriber gets them, with links that lead to the signup
    page rather than to anyone's subscription: for editors' previews and test copies."""
    text, html = render_digest(daily_update, articles)
    signup = absolute_url(reverse("newsletter:signup"))
    for mark in (UNSUBSCRIBE_MARK, TOPICS_MARK):
        text, html = text.replace(mark, signup), html.replace(mark, signup)
    return text, html


def preview_message(daily_update, articles, email):
    text, html = preview_parts(daily_update, articles)
    message = EmailMultiAlternatives(
        subject=f"[Test] {daily_update.subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(html, "text/html")
    return message
