"""Known bots, crawlers and link unfurlers are not counted as clicks.

The patterns are the maintained community list of crawler user agents (the ``crawler-user-agents`` package,
https://github.com/monperrus/crawler-user-agents: Googlebot, facebookexternalhit, Slackbot, curl,
python-requests, HeadlessChrome…), so updating the package updates the list. An empty user agent is no browser
either. A browser's prefetch of the link (``Sec-Purpose: prefetch``) is not a click.
"""

from __future__ import annotations

from functools import lru_cache

import crawleruseragents


@lru_cache(maxsize=4096)  # a viral post is clicked by the same few thousand browser builds over and over
def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or crawleruseragents.is_crawler(user_agent)


def is_prefetch(meta) -> bool:
    purpose = (meta.get("HTTP_SEC_PURPOSE") or meta.get("HTTP_PURPOSE") or meta.get("HTTP_X_PURPOSE") or "").lower()
    return "prefetch" in purpose or "preview" in purpose
