"""The search index's order key: publish time to the second, then the article's id, in one integer.

Imports nothing of newsroom, so the models (which ask "what is due now?") and the index (which
writes the keys) can both use it without depending on each other.
"""

from datetime import datetime
from datetime import timezone as dt_timezone

ID_BITS = 24


def recency(moment, article_id=0):
    """Order newest first by publish time to the second, then id; an index key on both databases."""
    seconds = int(moment.timestamp() // 1)
    return (seconds << ID_BITS) + (article_id & ((1 << ID_BITS) - 1))


def recency_time(key):
    """The publish time (UTC, to the second) a key was made from."""
    return datetime.fromtimestamp(key >> ID_BITS, tz=dt_timezone.utc)
