"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django's RedisCacheClient makes a new redis.Redis for every get and set, and building one (its
table of reply callbacks) costs about as much as a whole round trip to Redis on loopback: as
much again on every cached page and every fragment. A client is only a handle on its pool, which
holds the connections, so one per pool serves every operation, in every thread.

Its incr() also asks Redis twice (does the key exist? then add): here it is one script, so
that a rate limit counted per request costs one round trip.
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

    # INCRBY of a key that exists; nil (Django's ValueError) for one that does not.
    INCR_EXISTING = (
        "if redis.call('exists', KEYS[1]) == 1 then"
        " return redis.call('incrby', KEYS[1], ARGV[1]) end"
    )

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = client.eval(self.INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
