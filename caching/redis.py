"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django's RedisCacheClient makes a new redis.Redis for every get and set, and building one (its
table of reply callbacks) costs about as much as a whole round trip to Redis on loopback: as
much again on every cached page and every fragment. A client is only a handle on its pool, which
holds the connections, so one per pool serves every operation, in every thread.
"""

from django.core.cache.backends import redis


class ReusingClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
