"""The shared cache's backend: Django's Redis cache, whose client object is made once
per connection pool instead of at every call (Django makes a ``redis.Redis`` for each
get or set, a twentieth of a millisecond, four times in an API list answer). A
client is safe to share between threads: it takes a connection from its pool for
each command."""

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    # Django's own, which its stubs leave out.
    _get_connection_pool: Callable[[bool], Any]
    _client: Callable[..., Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # Django's choice of server; kept for good
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
