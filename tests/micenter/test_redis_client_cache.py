"""What every request reads (MGET: the session and the versions) is answered from this
process's memory, and Redis's invalidations keep it exact (micenter/redis_client_cache).
On the real Redis server: the other connection in these tests stands for another worker."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.redis


def _mgets_served(other_worker) -> int:
    return other_worker.commands_served().get("cmdstat_mget", 0)


def test_a_read_again_waits_for_no_one_and_a_write_elsewhere_is_seen_at_once(other_worker):
    cache.set_many({"session": "signed in", "scopever:desk": "v1"})
    assert cache.get_many(["session", "scopever:desk"]) == {
        "session": "signed in",
        "scopever:desk": "v1",
    }
    before = _mgets_served(other_worker)
    for _ in range(5):
        assert cache.get_many(["session", "scopever:desk"])["scopever:desk"] == "v1"
    assert _mgets_served(other_worker) == before  # answered here, not by Redis

    other_worker.set("scopever:desk", "v2")
    assert cache.get_many(["session", "scopever:desk"])["scopever:desk"] == "v2"
    other_worker.delete("session")  # a sign-out elsewhere
    assert cache.get_many(["session", "scopever:desk"]) == {"scopever:desk": "v2"}
    assert _mgets_served(other_worker) == before + 2


def test_own_writes_are_seen_at_once():
    cache.set("scopever:desk", "v1", None)
    assert cache.get_many(["scopever:desk"]) == {"scopever:desk": "v1"}
    cache.set_many({"scopever:desk": "v2"}, None)
    assert cache.get_many(["scopever:desk"]) == {"scopever:desk": "v2"}
    cache.delete("scopever:desk")
    assert cache.get_many(["scopever:desk"]) == {}


def _run_python(script: str, **environment) -> dict:
    """`script` in a Python process of its own, with the project's settings; what it printed,
    one JSON object per line, merged."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "micenter.settings",
        "REDIS_URL": settings.REDIS_URL,
        **environment,
    }
    done = subprocess.run(  # this Python, our own script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = {}
    for line in done.stdout.splitlines():
        seen.update(json.loads(line))
    return seen


# Run in a Python of its own: this test process has threads (a live server, a browser), and
# forking it could deadlock the child on a lock another thread held.
_FORKED = """
import json, os, sys
import django
django.setup()
import redis
from django.core.cache import cache

other_worker = redis.Redis.from_url(os.environ["REDIS_URL"])
key = "scopever:events"
cache.set(key, "before fork", None)
assert cache.get_many([key]) == {key: "before fork"}
pid = os.fork()
if pid == 0:
    other_worker.set(cache.make_and_validate_key(key), cache.client.encode("after fork"))
    print(json.dumps({"child": cache.get_many([key]).get(key)}), flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print(json.dumps({"parent": cache.get_many([key]).get(key)}), flush=True)
"""


def test_a_forked_process_and_its_parent_both_see_a_later_write():
    """gunicorn's workers and Celery's pool are forked. Copies made before the fork must not
    be answered in the child, nor may the child take the parent's invalidations (it shares
    the parent's sockets)."""
    seen = _run_python(_FORKED)
    assert seen == {"child": "after fork", "parent": "after fork"}


def test_a_lost_connection_leaves_nothing_to_answer_from(other_worker):
    cache.set("scopever:desk", "v1", None)
    assert cache.get_many(["scopever:desk"]) == {"scopever:desk": "v1"}
    # Redis drops this process's connections (a restart, a failover, a network cut)...
    server = other_worker.client
    ours = server.connection_pool.connection_kwargs["db"]
    for client in server.client_list():
        if int(client["db"]) == ours and int(client["id"]) != server.client_id():
            server.client_kill_filter(_id=client["id"])
    # ...and a write lands meanwhile, whose invalidation nobody is left to hear.
    other_worker.set("scopever:desk", "v2")
    found = cache.get_many(["scopever:desk"])  # an outage answers "nothing", never the old
    assert found in ({}, {"scopever:desk": "v2"})
    assert cache.get_many(["scopever:desk"]) == {"scopever:desk": "v2"}


_TRIPS = """
import json, os
import django
django.setup()
import redis
from django.core.cache import cache

server = redis.Redis.from_url(os.environ["REDIS_URL"])
cache.set("scopever:desk", "v1", None)
cache.get_many(["scopever:desk"])
before = server.info("commandstats").get("cmdstat_mget", {}).get("calls", 0)
cache.get_many(["scopever:desk"])
cache.get_many(["scopever:desk"])
after = server.info("commandstats").get("cmdstat_mget", {}).get("calls", 0)
print(json.dumps({"trips": after - before}))
"""


def test_turned_off_every_read_goes_to_redis():
    """REDIS_CLIENT_CACHE=0, for a server that does not track keys for its clients."""
    assert _run_python(_TRIPS, REDIS_CLIENT_CACHE="0") == {"trips": 2}
    assert _run_python(_TRIPS) == {"trips": 0}
