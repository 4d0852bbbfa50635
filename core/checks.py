"""Start-up checks the deploy check runs: a configured service that cannot be reached is reported."""

from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_redis_reachable(app_configs, **kwargs):
    from django.core.cache import caches

    from core.cache import ResilientRedisCache

    problems = []
    for alias in caches:
        cache = caches[alias]
        if isinstance(cache, ResilientRedisCache) and not cache.ping():
            problems.append(Warning(
                f"REDIS_URL is set but Redis at {cache.location} cannot be reached.",
                hint="Start Redis or fix REDIS_URL; until then rate limits and the page cache use each "
                "process's own memory.",
                id="newsroom.W001",
            ))
    return problems
