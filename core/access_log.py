"""gunicorn's access log, with the signed tokens of mail links left out.

Unsubscribe and topics links in newsletter mail never expire: a reader must be able to leave from
any mail they still have, however old (RFC 8058 and the law expect it), so an expiry would trap them.
Instead the tokens stay out of the logs: every request line, path, query and referrer gunicorn logs
has each signed value (Django's signing format, `payload:signature`, and the staff invitation's
`timestamp-hash`) replaced by `[token]`. gunicorn.conf.py at the top of the tree installs this
logger; a proxy in front keeps its own logs and is told the same in docs/deploy.md.
"""

import re

from gunicorn.glogging import Logger

# A path segment or query value holding a signed token: Django's signing (base64 parts joined by ":")
# or a staff invitation (account id and "timestamp-hash" under /invitation/).
SIGNED = re.compile(r"(?<=[/=])[A-Za-z0-9_\-]{6,}(?::[A-Za-z0-9_\-]+)+")
INVITATION = re.compile(r"(/invitation/)[^/\s?]+/[^/\s?]+")
REDACTED_ATOMS = ("r", "U", "q", "f", "{referer}i")


def redact(text):
    """`text` with every signed token in it replaced by [token]."""
    if not isinstance(text, str):
        return text
    return INVITATION.sub(r"\1[token]/[token]", SIGNED.sub("[token]", text))


class TokenRedactingLogger(Logger):
    """gunicorn's logger; access log lines carry no mail-link or invitation tokens."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in REDACTED_ATOMS:
            if name in atoms:
                atoms[name] = redact(atoms[name])
        for name in [key for key in atoms if key.endswith("}e")]:
            atoms[name] = redact(atoms[name])
        return atoms
