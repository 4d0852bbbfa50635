"""gunicorn settings read from the top of the tree: access logs without mail-link tokens (core.access_log)."""

logger_class = "core.access_log.TokenRedactingLogger"
