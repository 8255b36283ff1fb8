"""Controls on a creator's card in the directory, supplied by the apps above creators (a registry).

Dependencies point one way (docs/ARCHITECTURE.md): creators never imports campaigns. Campaigns
registers its "Invite to…" control here from CampaignsConfig.ready(); the directory's cards render
whatever is registered with ``{% card_controls creator %}`` (creators_tags).

A control is a callable ``(context, creator) -> str`` returning safe HTML ("" for nothing). It is
called once per card, so it must answer in a constant number of queries per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.template import Context

    from .models import Creator

Control = Callable[["Context", "Creator"], str]
_controls: list[Control] = []


def register(control: Control) -> None:
    if control not in _controls:
        _controls.append(control)


def unregister(control: Control) -> None:
    if control in _controls:
        _controls.remove(control)


def render_controls(context: Context, creator: Creator) -> SafeString:
    return mark_safe("".join(str(control(context, creator)) for control in _controls))  # each control returns safe HTML
