"""Click counting without a database write per click: Redis while it happens, one INSERT per flush.

Per link and UTC day, in the limiter's Redis database (core.ratelimit.redis_client: it survives cache.clear()):

- ``clk:t:<link>:<day>``: INCR, every counted click;
- ``clk:u:<link>:<day>``: PFADD of the visitor's hash, a HyperLogLog (uniques within about 0.8 %, 12 KB at most);
- ``clk:dirty``: SADD "<link>:<day>", which counters changed since the last flush.

The visitor's hash is SHA-256 over the day's salt, the client IP (core.net.client_ip, never X-Forwarded-For read
directly) and the user agent. The salt is 16 random bytes made on the first click of a UTC day and kept in Redis
for two days only, so a hash can be matched to nothing once its day is over, and the same visitor counts once per
link per day (Plausible and Fathom count visitors the same way). Nothing about the visitor is stored.

``flush()`` (Celery beat, every minute) takes the dirty set away atomically (RENAME), reads the counters of each
(link, day) in one pipeline and writes them with one ``INSERT … ON CONFLICT (link, day) DO UPDATE``. The values are
absolute, so a flush run twice, or concurrently with clicks, never double counts: the next flush writes the newer
numbers. Counters live eight days, so a late flush still finds yesterday's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid

from django.db import connection
from django.utils import timezone

from core.net import client_ip
from core.ratelimit import redis_client

from .bots import is_bot, is_prefetch

logger = logging.getLogger(__name__)

DIRTY = "clk:dirty"
KEEP_SECONDS = 8 * 24 * 3600
SALT_SECONDS = 2 * 24 * 3600
_salts: dict[str, bytes] = {}  # this process's copy of today's salt: one Redis read per process and day


def today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def total_key(link_id: int, day: dt.date) -> str:
    return f"clk:t:{link_id}:{day.isoformat()}"


def unique_key(link_id: int, day: dt.date) -> str:
    return f"clk:u:{link_id}:{day.isoformat()}"


def salt_for(day: dt.date) -> bytes:
    name = day.isoformat()
    salt = _salts.get(name)
    if salt is None:
        r = redis_client()
        key = f"clk:salt:{name}"
        r.set(key, secrets.token_bytes(16), nx=True, ex=SALT_SECONDS)
        salt = r.get(key)
        _salts.clear()  # yesterday's salt is never needed again in this process
        _salts[name] = salt
    return salt


def visitor_hash(request, day: dt.date) -> bytes:
    ua = request.META.get("HTTP_USER_AGENT", "")
    return hashlib.sha256(salt_for(day) + b"|" + client_ip(request).encode() + b"|" + ua.encode()).digest()[:16]


def counts(request) -> bool:
    """A click that counts: a GET by something that is not a known bot and not a prefetch."""
    return (
        request.method == "GET"
        and not is_bot(request.META.get("HTTP_USER_AGENT", "")[:512])
        and not is_prefetch(request.META)
    )


def record(request, link_id: int) -> bool:
    """Count one click in Redis (one round trip); False when it does not count. Never touches the database."""
    if not counts(request):
        return False
    day = today()
    r = redis_client()
    pipe = r.pipeline(transaction=False)
    total, unique = total_key(link_id, day), unique_key(link_id, day)
    pipe.incr(total)
    pipe.expire(total, KEEP_SECONDS)
    pipe.pfadd(unique, visitor_hash(request, day))
    pipe.expire(unique, KEEP_SECONDS)
    pipe.sadd(DIRTY, f"{link_id}:{day.isoformat()}")
    try:
        pipe.execute()
    except Exception:  # Redis away: the visitor still gets to the brand's page; the click is lost, logged
        logger.exception("click on link %s not counted", link_id)
        return False
    return True


def pending(link_id: int, day: dt.date) -> tuple[int, int]:
    """(clicks, unique clicks) counted in Redis for a link and day (what the next flush writes)."""
    r = redis_client()
    total = r.get(total_key(link_id, day))
    return int(total or 0), int(r.pfcount(unique_key(link_id, day)))


_UPSERT = """
INSERT INTO results_clickday (link_id, day, clicks, unique_clicks)
SELECT v.link_id, v.day, v.clicks, v.unique_clicks
FROM unnest(%s::bigint[], %s::date[], %s::integer[], %s::integer[]) AS v(link_id, day, clicks, unique_clicks)
WHERE EXISTS (SELECT 1 FROM results_trackedlink t WHERE t.id = v.link_id)
ON CONFLICT (link_id, day) DO UPDATE
SET clicks = GREATEST(results_clickday.clicks, EXCLUDED.clicks),
    unique_clicks = GREATEST(results_clickday.unique_clicks, EXCLUDED.unique_clicks)
"""


def flush() -> int:
    """Write every changed (link, day) to ``ClickDay`` in one statement; the number of rows written."""
    r = redis_client()
    taking = f"clk:flushing:{uuid.uuid4().hex}"
    try:
        r.rename(DIRTY, taking)
    except Exception as exc:  # no such key: nothing was clicked since the last flush
        if "no such key" in str(exc).lower():
            return 0
        raise
    members = [m.decode() for m in r.smembers(taking)]
    pairs = []
    for member in members:
        link, day = member.split(":", 1)
        pairs.append((int(link), dt.date.fromisoformat(day)))
    pipe = r.pipeline(transaction=False)
    for link_id, day in pairs:
        pipe.get(total_key(link_id, day))
        pipe.pfcount(unique_key(link_id, day))
    answers = pipe.execute()
    rows = [
        (link_id, day, int(answers[2 * i] or 0), int(answers[2 * i + 1]))
        for i, (link_id, day) in enumerate(pairs)
        if answers[2 * i] is not None  # expired counters: nothing new to say
    ]
    try:
        if rows:
            with connection.cursor() as cursor:
                cursor.execute(_UPSERT, [list(col) for col in zip(*rows, strict=True)])
    except Exception:
        r.sunionstore(DIRTY, [DIRTY, taking])  # put them back for the next flush
        r.delete(taking)
        raise
    r.delete(taking)
    return len(rows)
