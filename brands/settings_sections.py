"""More sections of the brand's settings page (brands:edit), supplied by apps above brands.

A higher app registers a provider from its ``AppConfig.ready()``; brands never imports it
(docs/ARCHITECTURE.md). A provider takes the request and the brand and returns rendered HTML
(or None to add nothing); results shows the conversion webhook's signing secret this way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

_providers: list[Callable[[Any, Any], SafeString | None]] = []


def register(provider: Callable[[Any, Any], SafeString | None]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections(request, brand) -> list[SafeString]:
    return [html for provider in _providers if (html := provider(request, brand))]
