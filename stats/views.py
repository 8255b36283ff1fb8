"""Creator-facing refresh status and "refresh now" (thin views over stats.manual)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from creators.selectors import creator_for_user

from .errors import StatsError
from .manual import stats_request_refresh
from .selectors import refresh_overview

FRAGMENT = "stats/_refresh_status.html"


def _own_creator(request: HttpRequest):
    creator = creator_for_user(user=request.user)
    if creator is None:
        raise Http404
    return creator


def _render(request: HttpRequest, creator, *, notice: str = "", error: str = "", status: int = 200) -> HttpResponse:
    overview = refresh_overview(creator=creator)
    # After "refresh now", or while an account awaits its first numbers, the fragment polls for the result.
    context = {"overview": overview, "notice": notice, "error": error, "poll": bool(notice) or overview.waiting}
    if request.htmx:
        return render(request, FRAGMENT, context, status=status)
    return render(request, "stats/status_page.html", context, status=status)


@require_GET
@login_required
def refresh_status(request: HttpRequest) -> HttpResponse:
    """When the creator's numbers were refreshed and how it went (a fragment for htmx, else a page)."""
    return _render(request, _own_creator(request))


@require_POST
@login_required
def refresh_now(request: HttpRequest) -> HttpResponse:
    """Queue a refresh of all the creator's accounts, a few times a day at most."""
    creator = _own_creator(request)
    try:
        count = stats_request_refresh(creator=creator, actor=request.user)
    except StatsError as exc:
        if request.htmx:
            return _render(request, creator, error=str(exc))  # 200: htmx swaps only 2xx answers
        messages.error(request, str(exc))
        return redirect("stats:refresh_status")
    notice = (
        _("Refreshing %(n)d account(s) now; this takes a minute.") % {"n": count}
        if count
        else _("A refresh is already on its way.")
    )
    if request.htmx:
        return _render(request, creator, notice=notice)
    messages.success(request, notice)
    return redirect("stats:refresh_status")
