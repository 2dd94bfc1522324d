"""Copies kept in this process's memory, under the same keys as in the shared cache (keys that
carry the versions they were made from, micenter/cache_scopes), until a given moment: a
request finds them without a trip to Redis. A key with new versions is simply another key;
the store is bounded and emptied whole when full."""

import time


class RecentCopies:
    def __init__(self, most: int):
        self.most = most
        self._kept: dict[str, tuple[float, object]] = {}

    def get(self, key: str):
        found = self._kept.get(key)
        if found is None or found[0] < time.time():
            return None
        return found[1]

    def put(self, key: str, value, until: float) -> None:
        if len(self._kept) >= self.most:
            self._kept.clear()
        self._kept[key] = (until, value)
