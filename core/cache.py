"""Django's Redis cache, made to survive a Redis outage.

Rate-limit counters, single-use form tokens and cached pages all live in the shared cache. When
Redis cannot be reached, every call falls back to this process's own memory at once (rate limits
then count per process, which is looser but never a 500), and Redis is tried again a few seconds
later. Short socket timeouts keep a vanished server from holding requests up.
"""

import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django builds a new redis-py client for every cache call, and redis-py builds its table of
    response callbacks (about 170 entries) in each: two thirds of the time of a page served from
    the cache went there. A client is only a handle on its pool, which is safe to share between
    threads and notices a fork, so one per pool serves every call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class ResilientRedisCache(RedisCache):
    # How long to use the fallback before trying Redis again.
    retry_interval = 5.0

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_interval = float(options.pop("RETRY_INTERVAL", self.retry_interval))
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.fallback = LocMemCache(
            f"newsroom-redis-fallback-{id(self)}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": self.key_prefix,
                "VERSION": self.version,
                "OPTIONS": {"MAX_ENTRIES": 10000},
            },
        )
        self.down_since = None
        self._retry_at = 0.0
        # Called once Redis answers again after an outage (the page cache starts a new epoch).
        self.on_recovery = [self._new_page_epoch]

    def _new_page_epoch(self):
        from core import page_cache

        page_cache.start_new_epoch()

    @property
    def is_down(self):
        return self.down_since is not None

    def _call(self, name, *args, **kwargs):
        if self.down_since is not None and time.monotonic() < self._retry_at:
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            if self.down_since is None:
                self.down_since = time.time()
                logger.warning(
                    "Redis cannot be reached (%s); using this process's memory until it is back.", error
                )
            self._retry_at = time.monotonic() + self.retry_interval
            return getattr(self.fallback, name)(*args, **kwargs)
        if self.down_since is not None:
            logger.warning("Redis is reachable again after %.0f s.", time.time() - self.down_since)
            self.down_since = None
            for callback in self.on_recovery:
                callback()
        return result

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self.fallback.clear()
        return self._call("clear")

    @property
    def location(self):
        """Where Redis is, without any password in the URL."""
        parts = urlsplit(self._servers[0])
        return f"{parts.hostname}:{parts.port or 6379}{parts.path}"

    def ping(self):
        """True when Redis answers now (for the deploy check and health output)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False
