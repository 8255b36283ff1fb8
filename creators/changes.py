"""Tell the apps above that some creators' profile facts changed, set-based (issue 13).

Dependencies point one way (STYLE.md): creators never imports campaigns. Matching keeps one narrow row of match
features per creator (``campaigns.match_features``); it registers a listener here from its AppConfig.ready(),
and every write of creators that changes a fact matching reads (status, country, languages, niches, accounts and
their numbers, rate card) calls ``creators_changed`` with the ids, in the writer's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Listener = Callable[[list[int]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def creators_changed(creator_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in creator_ids})
    if ids:
        for listener in _listeners:
            listener(ids)
