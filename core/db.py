"""A read replica for the heavy reads (issue 13, docs/SCALING.md).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and this router. Only reads made inside
``heavy_reads()`` (a context manager and a view decorator) go to it: the directory, the recommendations and
any report, whose few seconds of replication lag cannot hurt. Everything else (writes, sessions, reads that
must see the user's own write) stays on ``default``.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_heavy: ContextVar[bool] = ContextVar("heavy_reads", default=False)


@contextmanager
def heavy_reads():
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)


def replica_alias() -> str | None:
    """The alias heavy reads use, or None without a replica (``DATABASE_READ_REPLICA`` names it)."""
    alias = getattr(settings, "DATABASE_READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return replica_alias() if _heavy.get() else None

    def db_for_write(self, model, **hints):
        return None  # default

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is the same database, behind

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
