"""Creator pages: onboarding, editing, the public media kit and the directory. Thin: forms in, services out."""

from __future__ import annotations

import logging
from functools import wraps
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import onboarding as onboarding_steps
from core.db import heavy_reads
from core.media import media_url
from core.seo import PageMeta

from . import account_stats
from .cards import attach_card_html, filters_html
from .charts import Series, growth_chart_svg
from .completeness import profile_completeness
from .connect import CONSENT_ORIGINS, connect_url, connectable_platforms
from .filters import DEFAULT_SORT, SORTS, CreatorFilter
from .formats import PLATFORM_FORMATS
from .forms import CreatorProfileForm, CreatorStartForm, PortfolioForm, RateCardForm, SocialAccountForm
from .models import ContentFormat, Creator, Deliverable, Platform
from .permissions import can_browse_directory, can_edit_creator
from .pricing import rate_guide
from .selectors import creator_for_user, directory_page, listed_creators, media_kit_creator_or_404
from .services import (
    CreatorError,
    creator_create,
    creator_update_profile,
    portfolio_add,
    portfolio_delete,
    rate_card_delete,
    rate_card_save,
    social_account_link,
    social_account_unlink,
)
from .tiers import tier_label

logger = logging.getLogger(__name__)


@login_required
def onboarding(request):
    """First step after a creator signs up: the profile basics."""
    if not request.user.is_creator:
        raise Http404
    if creator_for_user(user=request.user) is not None:
        return redirect("dashboard")
    form = CreatorStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            creator_create(user=request.user, **form.cleaned_data)
        except CreatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                format_html(
                    _('Your creator profile is started. Next: <a href="{url}">link your social accounts</a>.'),
                    url=reverse("creators:accounts"),
                ),
            )
            return redirect("creators:accounts")
    return render(
        request,
        "creators/onboarding.html",
        {
            "form": form,
            "onboarding": onboarding_steps.creator_progress(has_profile=False, accounts=0, rates=0, current="profile"),
        },
    )


def creator_required(view):
    """The signed-in creator's own profile is passed in; no profile yet: onboarding first."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_creator:
            raise Http404
        creator = creator_for_user(user=request.user)
        if creator is None:
            return redirect("creators:onboarding")
        return view(request, creator, *args, **kwargs)

    return wrapper


def _editor_context(creator: Creator, section: str) -> dict:
    counts = {"accounts": creator.accounts.count(), "rates": creator.rates.count()}
    completeness = profile_completeness(creator, portfolio=creator.portfolio.count(), **counts)
    steps = None
    if section in ("accounts", "rates"):  # the onboarding steps after the profile, while any is left
        steps = onboarding_steps.creator_progress(has_profile=True, current=section, **counts)
        steps = None if steps.complete else steps
    return {
        "onboarding": steps,
        "creator": creator,
        "section": section,
        "completeness": completeness,
        "sections": [
            ("profile", _("Profile"), reverse("creators:edit")),
            ("accounts", _("Social accounts"), reverse("creators:accounts")),
            ("rates", _("Rate card"), reverse("creators:rates")),
            ("portfolio", _("Portfolio"), reverse("creators:portfolio")),
        ],
    }


def _apply(form, call) -> bool:
    """Run a service; turn its refusal into a form error so nothing typed is lost."""
    try:
        call()
    except CreatorError as exc:
        form.add_error(None, str(exc))
        return False
    except ValidationError as exc:  # an image that passed the form but not processing
        form.add_error(None, exc)
        return False
    return True


@creator_required
def edit(request, creator: Creator):
    if request.method == "POST":
        form = CreatorProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if _apply(form, lambda: creator_update_profile(creator=creator, actor=request.user, **data)):
                messages.success(request, _("Profile saved."))
                return redirect("creators:edit")
    else:
        form = CreatorProfileForm(initial=CreatorProfileForm.initial_for(creator))
    return render(request, "creators/edit_profile.html", {**_editor_context(creator, "profile"), "form": form})


@csp_update({"form-action": CONSENT_ORIGINS})
@creator_required
def accounts(request, creator: Creator):
    form = SocialAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: social_account_link(creator=creator, actor=request.user, **form.cleaned_data)):
            messages.success(request, _("Account linked. Its numbers appear after the first refresh."))
            return redirect("creators:accounts")
    rows = list(creator.accounts.order_by("platform"))
    return render(
        request,
        "creators/edit_accounts.html",
        {
            **_editor_context(creator, "accounts"),
            "form": form,
            "accounts": rows,
            "connect": [
                {"platform": p, "label": Platform(p).label, "url": connect_url(p)} for p in connectable_platforms()
            ],
        },
    )


@creator_required
def account_audience(request, creator: Creator, pk: int):
    """The creator's own figures for one account's audience (issue 11): shown on the media kit as self-reported."""
    from .forms import DemographicsForm
    from .models import AudienceDemographics, DemographicsSource
    from .services import account_demographics_set

    account = get_object_or_404(creator.accounts, pk=pk)
    current = AudienceDemographics.objects.filter(account=account).first()
    form = DemographicsForm(request.POST or None, initial=DemographicsForm.initial_for(current))
    if request.method == "POST":
        if form.is_valid() and _apply(
            form,
            lambda: account_demographics_set(
                account=account, actor=request.user, source=DemographicsSource.SELF_REPORTED, **form.values
            ),
        ):
            messages.success(request, _("Audience saved. It shows on your media kit marked “self-reported”."))
            return redirect("creators:accounts")
    context = {**_editor_context(creator, "accounts"), "form": form, "account": account, "current": current}
    return render(request, "creators/edit_audience.html", context, status=400 if form.errors else 200)


@creator_required
@require_POST
def account_delete(request, creator: Creator, pk: int):
    account = get_object_or_404(creator.accounts, pk=pk)
    social_account_unlink(account=account, actor=request.user)
    messages.success(request, _("Account removed."))
    return redirect("creators:accounts")


def _rate_rows(creator: Creator, entries, accounts=None) -> list[dict]:
    """Each entry with the usual range for its platform, at the tier ``pricing.rate_guide`` gives that platform."""
    guide = rate_guide(creator, accounts if accounts is not None else creator.accounts.all())
    rows = []
    for entry in entries:
        platform = guide.get(entry.platform)
        band = platform.range if platform else None
        rows.append(
            {
                "entry": entry,
                "range": band,
                "tier_label": platform.tier_label if platform else "",
                "verdict": band.verdict(entry.price, entry.currency) if band else None,
            }
        )
    return rows


@creator_required
def rates(request, creator: Creator, pk: int | None = None):
    entry = get_object_or_404(creator.rates, pk=pk) if pk is not None else None
    initial = None
    if entry is not None:
        initial = {f: getattr(entry, f) for f in ("platform", "deliverable", "price", "currency", "note")}
    form = RateCardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def call():
            return rate_card_save(creator=creator, actor=request.user, entry=entry, **form.cleaned_data)

        if _apply(form, call):
            messages.success(request, _("Rate card saved."))
            return redirect("creators:rates")
    accounts = list(creator.accounts.all())
    return render(
        request,
        "creators/edit_rates.html",
        {
            **_editor_context(creator, "rates"),
            "form": form,
            "editing": entry,
            "rows": _rate_rows(creator, creator.rates.order_by("platform", "price"), accounts),
            "suggestions": list(rate_guide(creator, accounts).values()),
            "formats": [
                (label, ", ".join(str(Deliverable(f).label) for f in PLATFORM_FORMATS[value]))
                for value, label in Platform.choices
            ],
        },
    )


@creator_required
@require_POST
def rate_delete(request, creator: Creator, pk: int):
    entry = get_object_or_404(creator.rates, pk=pk)
    rate_card_delete(entry=entry, actor=request.user)
    messages.success(request, _("Rate removed."))
    return redirect("creators:rates")


@creator_required
def portfolio(request, creator: Creator):
    form = PortfolioForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            return portfolio_add(
                creator=creator, actor=request.user, caption=data["caption"], url=data["url"], image=data["image"]
            )

        if _apply(form, call):
            messages.success(request, _("Added to your portfolio."))
            return redirect("creators:portfolio")
    return render(
        request,
        "creators/edit_portfolio.html",
        {
            **_editor_context(creator, "portfolio"),
            "form": form,
            "items": list(creator.portfolio.all()),
        },
    )


@creator_required
@require_POST
def portfolio_item_delete(request, creator: Creator, pk: int):
    item = get_object_or_404(creator.portfolio, pk=pk)
    portfolio_delete(item=item, actor=request.user)
    messages.success(request, _("Removed from your portfolio."))
    return redirect("creators:portfolio")


# --- media kit ------------------------------------------------------------------------


def _media_kit_context(request, creator: Creator) -> dict:
    from .collaborations import collaborations_for
    from .reputation import reputation_for
    from .track_record import track_record_for

    history = account_stats.follower_history(creator=creator)
    accounts = []
    series = []
    for account in creator.accounts.all():
        judged = account_stats.judge_engagement(account.platform, account.tier, account.engagement_rate)
        accounts.append(
            {
                "account": account,
                "tier_label": tier_label(account.tier),
                # floats so the template shows "2.0–3.5 %" whatever the table's Decimal precision
                "band": (float(judged.band.low), float(judged.band.high)) if judged else None,
                "verdict": judged.verdict if judged else None,
                "no_band_note": ""
                if judged or account.is_pending or account.followers_hidden
                else account_stats.no_benchmark_note(),
                "demographics": _demographics_shown(account),
            }
        )
        if account.pk in history:
            series.append(
                Series(label=account.get_platform_display(), platform=account.platform, points=history[account.pk])
            )
    return {
        "creator": creator,
        "tier_label": tier_label(creator.tier),
        "accounts": accounts,
        "chart": growth_chart_svg(series),
        "chart_series": series,
        "rate_rows": _rate_rows(creator, creator.rates.all()),
        "portfolio": creator.portfolio.all(),
        "collaborations": collaborations_for(creator),
        "reputation": reputation_for(creator),  # issue 12: supplied by campaigns (creators/reputation.py)
        "track_record": track_record_for(creator),  # issue 11: supplied by campaigns (creators/track_record.py)
        "is_owner": can_edit_creator(request.user, creator),
        "formats": [label for value, label in ContentFormat.choices if value in creator.content_formats],
        "meta": _media_kit_meta(creator),
        "signup_url": _signup_url(request),
    }


def _demographics_shown(account) -> dict | None:
    """The account's audience bars for the media kit (issue 11), or None when nothing is known."""
    from .demographics import bars
    from .models import AudienceDemographics

    try:
        demographics = account.demographics
    except AudienceDemographics.DoesNotExist:
        return None
    shown = bars(demographics.countries, demographics.ages, demographics.genders)
    if not any(rows for _group, _title, rows in shown):
        return None
    return {"source": demographics, "bars": shown}


def _signup_url(request) -> str:
    """For anonymous visitors: sign up as a brand (who contacts creators), then come back to this page
    ("" when signed in)."""
    if request.user.is_authenticated:
        return ""
    return f"{reverse('account_signup')}?{urlencode({'role': 'brand', 'next': request.path})}"


def _media_kit_meta(creator: Creator) -> PageMeta:
    tier = tier_label(creator.tier) if creator.tier else ""
    niches = ", ".join(n.name for n in creator.niches.all())
    lead = " · ".join(part for part in (tier and _("%(tier)s creator") % {"tier": tier}, niches) if part)
    description = f"{lead}. {creator.bio}" if lead and creator.bio else (creator.bio or lead)
    return PageMeta(
        title=_("%(name)s (@%(handle)s) · media kit") % {"name": creator.display_name, "handle": creator.handle},
        description=description or _("%(name)s's media kit on Creator Marketplace.") % {"name": creator.display_name},
        path=reverse("creators:media_kit", args=[creator.handle]),
        image=media_url(creator.avatar),  # no user: the public, unsigned address (approved creators only)
        type="profile",
    )


def media_kit(request, handle: str):
    creator = media_kit_creator_or_404(user=request.user, handle=handle)
    return render(request, "creators/media_kit.html", _media_kit_context(request, creator))


def media_kit_pdf(request, handle: str):
    creator = media_kit_creator_or_404(user=request.user, handle=handle)
    try:
        from .pdf import render_pdf
    except OSError:
        # WeasyPrint loads Pango from the system (apt-get install libpango-1.0-0 libpangoft2-1.0-0);
        # without it, say so and point to the browser's own "Save as PDF" instead of a 500.
        logger.exception("PDF export unavailable: WeasyPrint could not load its system libraries")
        messages.error(
            request,
            _(
                "PDF export is not available on this server right now. "
                "Use your browser's Print → Save as PDF on this page instead."
            ),
        )
        return redirect("creators:media_kit", handle=creator.handle)
    html = render_to_string("creators/media_kit_pdf.html", _media_kit_context(request, creator), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="media-kit-{creator.handle}.pdf"'
    return response


# --- directory ------------------------------------------------------------------------


@heavy_reads()  # the replica, when there is one (core.db)
def directory(request):
    """Anyone searches approved creators (a public page); htmx swaps the results, the URL carries the filters."""
    if not can_browse_directory(request.user):
        raise Http404
    filterset = CreatorFilter(request.GET or None, queryset=listed_creators())
    if filterset.is_bound and not filterset.is_valid():
        page = None
    else:
        data = filterset.form.cleaned_data if filterset.is_bound else {}
        sort = data.get("sort") or DEFAULT_SORT
        page = directory_page(
            filterset.qs,
            sort=sort,
            cursor=request.GET.get("after"),
            window_base=filterset.window_base(sort, listed_creators()),
        )
        attach_card_html(page.creators)  # the cards' bodies from the cache (creators.cards)
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "filter": filterset,
        "page": page,
        "sorts": SORTS,
        "query_string": params.urlencode(),
        "appending": bool(request.GET.get("after")),
        "signup_url": _signup_url(request),
        "meta": PageMeta(
            title=_("Find nano and micro creators"),
            description=_(
                "Browse vetted creators on Instagram, TikTok, YouTube and LinkedIn: followers, "
                "engagement and rates from their media kits. Sign up to invite them."
            ),
            path=reverse("creators:directory"),
        ),
    }
    partial = request.htmx and not request.htmx.history_restore_request  # back button: the whole page
    if partial and request.htmx.target == "results-more":
        template = "creators/_directory_rows.html"
    elif partial:
        template = "creators/_directory_results.html"
    else:
        template = "creators/directory.html"
        context["filters_html"] = filters_html(filterset, request.GET)  # cached per query (creators.cards)
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # one URL, two bodies: caches must tell them apart
    return response
