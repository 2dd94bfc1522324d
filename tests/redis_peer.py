"""Another worker's own connection to the Redis the tests use: what it writes reaches this
process only as Redis tells it, and the server's counters show what this process sent."""

import redis
from django.conf import settings
from django.core.cache import cache


class OtherWorker:
    def __init__(self):
        self.client = redis.Redis.from_url(settings.REDIS_URL)

    def set(self, key: str, value) -> None:
        """As another process writes it: the cache's key and format."""
        self.client.set(cache.make_and_validate_key(key), cache.client.encode(value))

    def delete(self, key: str) -> None:
        self.client.delete(cache.make_and_validate_key(key))

    def commands_served(self) -> dict[str, int]:
        """Calls of each command the server has answered, from anyone (`cmdstat_mget`...)."""
        return {name: row["calls"] for name, row in self.client.info("commandstats").items()}

    def close(self) -> None:
        self.client.close()
