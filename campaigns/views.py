"""Thin views: parse input, call one service, turn a domain error into a message, render."""

from __future__ import annotations

import math
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brands.models import Brand
from brands.selectors import brand_for_user
from core import onboarding
from core.db import heavy_reads
from core.media import media_url
from core.seo import PageMeta
from core.vetting import VettingStatus
from creators.models import Creator

from . import actions, cards, hooks, matching, permissions, reputation, selectors, services
from .actions import application_actions, campaign_actions, deliverable_actions
from .budget import budget_tracker
from .confirmations import ConfirmationRequired, is_confirmed
from .eligibility import eligibility
from .for_you import campaigns_for_you
from .forms import (
    ApplyForm,
    BrowseFilterForm,
    CampaignForm,
    DeclineForm,
    DeliverableSpecForm,
    DeliverableSpecFormSet,
    InviteForm,
    LiveForm,
    MessageForm,
    RatingForm,
    ReferenceImageForm,
    ReplyForm,
    ReviewForm,
    SubmissionForm,
)
from .models import ApplicationStatus as A, CampaignStatus as C, DeliverableStatus as D
from .quotes import rate_card_quote


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _brand_or_404(request):
    brand = brand_for_user(user=request.user)
    if brand is None:
        raise Http404
    return brand


def _creator_or_404(request):
    creator = selectors.creator_with_accounts(user=request.user)
    if creator is None:
        raise Http404
    return creator


# --- Brand side: campaigns -------------------------------------------------------------------------


@login_required
def brand_list(request):
    brand = _brand_or_404(request)
    campaigns = list(selectors.campaigns_for_brand(user=request.user))
    counts = selectors.campaign_status_counts(user=request.user)
    return render(
        request,
        "campaigns/brand_list.html",
        {
            "brand": brand,
            "campaigns": campaigns,
            "status_counts": [(s.label, counts[s.value]) for s in C],
            "can_publish": actions.brand_can_publish(brand),
        },
    )


def _spec_initial(campaign) -> list[dict]:
    return [
        {"platform": s.platform, "format": s.format, "quantity": s.quantity} for s in campaign.deliverable_specs.all()
    ]


def _brief_form(request, *, campaign=None):
    brand = _brand_or_404(request)
    if campaign is not None and not permissions.can_edit_campaign(request.user, campaign):
        messages.error(
            request, _("A %(s)s campaign can no longer be edited.") % {"s": campaign.get_status_display().lower()}
        )
        return redirect("campaigns:detail", pk=campaign.pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    formset = DeliverableSpecFormSet(
        request.POST or None, prefix="specs", initial=_spec_initial(campaign) if campaign else [{"quantity": 1}]
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        specs = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            if campaign is None:
                campaign = services.campaign_create(
                    brand=brand,
                    actor=request.user,
                    data=form.brief_data(),
                    niches=form.cleaned_data["niches"],
                    specs=specs,
                )
            else:
                campaign = services.campaign_update(
                    campaign=campaign,
                    actor=request.user,
                    data=form.brief_data(),
                    niches=form.cleaned_data["niches"],
                    specs=specs,
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        except services.CampaignError as exc:
            form.add_error(None, str(exc))
        else:
            if "publish" in request.POST and campaign.status == C.DRAFT:
                try:
                    services.campaign_publish(campaign=campaign, actor=request.user)
                except services.CampaignError as exc:
                    messages.warning(request, _("Saved as a draft. %(why)s") % {"why": exc})
                else:
                    messages.success(request, _("Published: creators can apply now."))
            else:
                messages.success(request, _("Saved. Preview the brief below, then publish it."))
            return redirect("campaigns:detail", pk=campaign.pk)
    steps = None
    if campaign is None and not brand.campaigns.exists():  # a brand's first brief is its last onboarding step
        steps = onboarding.brand_progress(has_brand=True, campaigns=0, current="campaign")
    return render(
        request,
        "campaigns/brief_form.html",
        {
            "form": form,
            "formset": formset,
            "campaign": campaign,
            "brand": brand,
            "onboarding": steps,
            "spec_form_url": "campaigns:spec_row",
            "offer_publish": campaign is None or campaign.status == C.DRAFT,  # "Save and publish" while still a draft
        },
    )


@login_required
def campaign_create(request):
    return _brief_form(request)


@login_required
def campaign_edit(request, pk: int):
    return _brief_form(request, campaign=selectors.campaign_for_manager(user=request.user, pk=pk))


@login_required
def spec_row(request):
    """htmx: one more deliverable row for the brief form's formset."""
    _brand_or_404(request)
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 19))
    except ValueError:
        index = 0
    form = DeliverableSpecForm(prefix=f"specs-{index}", initial={"quantity": 1})
    return render(request, "campaigns/_spec_row.html", {"f": form})


@login_required
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = selectors.campaign_for_manager(user=request.user, pk=pk)
    move = actions.campaign_action(action)
    if move is None:
        raise Http404
    try:
        move.service(campaign=campaign, actor=request.user)
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, move.success)
    return redirect("campaigns:detail", pk=campaign.pk)


def _signup_to_apply_url(request) -> str:
    """Anonymous visitors: sign up as a creator, then come back to this page."""
    return f"{reverse('account_signup')}?{urlencode({'role': 'creator', 'next': request.path})}"


def _campaign_meta(campaign) -> PageMeta:
    return PageMeta(
        title=_("%(title)s · a campaign by %(brand)s") % {"title": campaign.title, "brand": campaign.brand.name},
        description=campaign.product_description,
        path=reverse("campaigns:detail", args=[campaign.pk]),
        image=media_url(campaign.brand.logo),  # logos are public (marketplace/media.py)
    )


def campaign_detail(request, pk: int):
    """The brief: the brand's preview with its actions, a creator's view with eligibility and Apply, or
    (no account) the public brief of an open campaign with a "Sign up to apply" call to action."""
    if not request.user.is_authenticated:
        campaign = selectors.campaign_public_or_404(pk=pk)
        return render(
            request,
            "campaigns/detail.html",
            {
                "campaign": campaign,
                "public": True,
                "signup_url": _signup_to_apply_url(request),
                "meta": _campaign_meta(campaign),
            },
        )
    campaign = selectors.campaign_visible_to(user=request.user, pk=pk)
    ctx = {"campaign": campaign, "manager": permissions.can_manage_campaign(request.user, campaign)}
    if permissions.can_see_campaign_money(request.user, campaign):
        ctx["tracker"] = budget_tracker(campaign)
    if ctx["manager"]:
        ctx["actions"] = campaign_actions(request.user, campaign)
        ctx["flags"] = actions.brief_page_flags(request.user, campaign)
        ctx["invite_form"] = InviteForm()
        ctx["reference_form"] = ReferenceImageForm() if ctx["flags"]["can_edit"] else None
        ctx["events"] = selectors.campaign_history(campaign=campaign)
        ctx["pending_brand"] = campaign.brand.status != "approved"
        ctx["page_links"] = hooks.campaign_links(request.user, campaign)
    elif request.user.is_creator:
        creator = _creator_or_404(request)
        ctx["missed"] = eligibility(creator, campaign)
        ctx["application"] = selectors.application_ids_by_campaign(user=request.user, campaign_ids=[campaign.pk]).get(
            campaign.pk
        )
        ctx["creator"] = creator
        ctx.update(actions.creator_apply_flags(creator, campaign, application=ctx["application"], missed=ctx["missed"]))
    return render(request, "campaigns/detail.html", ctx)


def _invite(request, campaign):
    form = InviteForm(request.POST)
    if form.is_valid():
        creator = Creator.objects.filter(handle=form.cleaned_data["handle"].lower()).first()
        if creator is None:
            messages.error(request, _("No creator has the handle @%(h)s.") % {"h": form.cleaned_data["handle"]})
        else:
            try:
                actions.invite(request.user, campaign, creator, confirmed=is_confirmed(request.POST.get("confirm")))
            except ConfirmationRequired as exc:
                # The same form again, with confirm=true: the choice (campaign, creator, where to go back) is kept.
                return _confirm_page(
                    request,
                    exc.confirmation,
                    back=_safe_next(request) or reverse("campaigns:detail", args=[campaign.pk]),
                    fields={"handle": creator.handle, "campaign": campaign.pk, "next": _safe_next(request)},
                )
            except services.CampaignError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, _("%(c)s is invited to “%(t)s”.") % {"c": creator.display_name, "t": campaign.title}
                )
    else:
        messages.error(request, _("Enter a creator's handle, e.g. rae-lens."))
    nxt = _safe_next(request)
    if nxt:
        return redirect(nxt)
    return redirect("campaigns:detail", pk=campaign.pk)


def _safe_next(request) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""


def _confirm_page(request, confirmation, *, back: str, fields: dict):
    """The confirmation step of a move (campaigns.confirmations): the same form posted again with confirm=true,
    the person's choices kept in hidden fields. Works without JavaScript."""
    return render(
        request,
        "campaigns/confirm.html",
        {
            "confirmation": confirmation,
            "action_url": request.path,
            "back": back,
            "fields": [(k, v) for k, v in fields.items() if v not in (None, "")],
        },
    )


@login_required
@require_POST
def invite(request, pk: int):
    return _invite(request, selectors.campaign_for_manager(user=request.user, pk=pk))


@login_required
@require_POST
def invite_any(request):
    """Invite from a creator card elsewhere (the directory): the campaign comes with the form."""
    pk = request.POST.get("campaign", "")
    if not pk.isdigit():
        raise Http404
    return _invite(request, selectors.campaign_for_manager(user=request.user, pk=int(pk)))


@login_required
@heavy_reads()  # the replica, when there is one (core.db)
def recommended(request, pk: int):
    """PRODUCT §6 "Recommended creators": eligible creators ranked by match score, with the why of each score."""
    campaign = selectors.campaign_for_manager(user=request.user, pk=pk)
    after = None
    score, _sep, last_id = request.GET.get("after", "").partition(",")
    try:
        after = (float(score), int(last_id)) if last_id else None
    except ValueError:
        after = None
    if after is not None and not math.isfinite(after[0]):  # "nan,5", "1e999,2": not a cursor this page wrote
        after = None
    page_size = 24
    creators = list(
        matching.recommended_creators(campaign=campaign, limit=page_size + 1, after=after).prefetch_related("niches")
    )
    more = len(creators) > page_size
    creators = creators[:page_size]
    reps = reputation.creator_reputation([c.pk for c in creators])  # three queries for the whole page
    for c in creators:
        c.rep = reps[c.pk]
    rows = [(c, matching.signals_of(c)) for c in creators]
    next_after = f"{creators[-1].match_score!r},{creators[-1].pk}" if more else ""
    return render(
        request,
        "campaigns/recommended.html",
        {
            "campaign": campaign,
            "rows": rows,
            "next_after": next_after,
            "paged": after is not None,
            "can_invite": actions.brief_page_flags(request.user, campaign)["can_invite"],
            "weights": [(str(matching.SIGNALS[k]), w) for k, w in matching.WEIGHTS.items()],
        },
    )


# --- Brand side: applicants ----------------------------------------------------------------------------


@login_required
def applicants(request, pk: int):
    campaign = selectors.campaign_for_manager(user=request.user, pk=pk)
    filters = {k: request.GET.get(k, "") for k in ("status", "tier", "sort")}
    rows = [
        (app, application_actions(request.user, app))
        for app in selectors.applicants_for_campaign(campaign=campaign, filters=filters)
    ]
    reps = reputation.creator_reputation([app.creator_id for app, _a in rows])  # three queries for the whole list
    for app, _a in rows:
        app.rep = reps[app.creator_id]
    accepted = sum(1 for app, _a in rows if app.status in (A.ACCEPTED, A.COMPLETED)) if not filters["status"] else None
    return render(
        request,
        "campaigns/applicants.html",
        {
            "campaign": campaign,
            "rows": rows,
            "filters": filters,
            "accepted": accepted,
            "status_choices": A.choices,
            "sorts": [
                ("newest", _("Newest")),
                ("followers", _("Followers")),
                ("engagement", _("Engagement")),
                ("rate", _("Lowest rate")),
            ],
            "tiers": [("nano", "Nano"), ("micro", "Micro"), ("macro", "Macro"), ("mega", "Mega")],
        },
    )


@login_required
def compare(request, pk: int):
    campaign = selectors.campaign_for_manager(user=request.user, pk=pk)
    shortlisted = list(selectors.applicants_for_campaign(campaign=campaign, filters={"status": A.SHORTLISTED}))
    return render(request, "campaigns/compare.html", {"campaign": campaign, "applications": shortlisted})


@login_required
@require_POST
def application_action(request, pk: int, action: str):
    application = selectors.application_visible_to(user=request.user, pk=pk)
    move = actions.application_action(action)
    if move is None:
        raise Http404
    kwargs = {}
    if action == "decline":
        form = DeclineForm(request.POST)
        kwargs["message"] = form.cleaned_data["message"] if form.is_valid() else ""
    error = None
    try:
        application = actions.take_application_action(
            request.user, application, move, confirmed=is_confirmed(request.POST.get("confirm")), **kwargs
        )
    except ConfirmationRequired as exc:
        on_applicants = request.POST.get("next") == "applicants"
        back = (
            reverse("campaigns:applicants", args=[application.campaign_id])
            if on_applicants
            else reverse("campaigns:application", args=[application.pk])
        )
        return _confirm_page(
            request,
            exc.confirmation,
            back=back,
            fields={"next": "applicants" if on_applicants else "", "message": kwargs.get("message", "")},
        )
    except services.CampaignError as exc:
        error = str(exc)
    if (
        request.htmx
        and request.POST.get("from") == "applicants"
        and permissions.can_review_application(request.user, application)
    ):
        application = selectors.applicants_for_campaign(campaign=application.campaign).get(pk=application.pk)
        return render(
            request,
            "campaigns/_applicant_row.html",
            {"app": application, "actions": application_actions(request.user, application), "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, move.success)
    nxt = request.POST.get("next", "")
    if nxt == "applicants" and permissions.can_review_application(request.user, application):
        return redirect("campaigns:applicants", pk=application.campaign_id)
    return redirect("campaigns:application", pk=application.pk)


# --- Creator side ------------------------------------------------------------------------------------------


def browse(request):
    """Open campaigns. Creators see whether they fit; everyone else (no account, brands, staff) sees the
    public list, with a "Sign up to apply" call to action for visitors without an account. The cards' common
    part and the empty filter form come from the cache (campaigns/cards.py); what is the reader's own (fit,
    their application, "Campaigns for you") is worked out on every request."""
    if not (request.user.is_authenticated and request.user.is_creator):
        return _browse_public(request)
    creator = _creator_or_404(request)
    form, form_html = cards.filter_form(request, BrowseFilterForm)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {**filters, "sort": request.GET.get("sort", "")}
    campaigns = list(selectors.campaign_cards_open(filters=filters)[:50])
    mine = selectors.application_ids_by_campaign(user=request.user, campaign_ids=[c.pk for c in campaigns])
    html = cards.campaign_cards(campaigns, user=request.user)
    rows = [(c, eligibility(creator, c), mine.get(c.pk), html[c.pk]) for c in campaigns]
    for_you = campaigns_for_you(creator)  # kept a minute per creator, moved on by any write matching reads
    return render(
        request,
        "campaigns/browse.html",
        {"form": form, "form_html": form_html, "rows": rows, "creator": creator, "for_you": for_you},
    )


def _browse_public(request):
    form, form_html = cards.filter_form(request, BrowseFilterForm)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {**filters, "sort": request.GET.get("sort", "")}
    campaigns = list(selectors.campaign_cards_open(filters=filters)[:50])
    html = cards.campaign_cards(campaigns, user=request.user)
    rows = [(c, [], None, html[c.pk]) for c in campaigns]
    return render(
        request,
        "campaigns/browse.html",
        {
            "form": form,
            "form_html": form_html,
            "rows": rows,
            "creator": None,
            "for_you": [],
            "public": True,
            "signup_url": "" if request.user.is_authenticated else _signup_to_apply_url(request),
            "meta": PageMeta(
                title=_("Open campaigns for creators"),
                description=_(
                    "Paid briefs from vetted brands for nano and micro creators on Instagram, TikTok, "
                    "YouTube and LinkedIn. Sign up to apply."
                ),
                path=reverse("campaigns:browse"),
            ),
        },
    )


@login_required
def apply(request, pk: int):
    creator = _creator_or_404(request)
    campaign = selectors.campaign_visible_to(user=request.user, pk=pk)
    existing = selectors.application_ids_by_campaign(user=request.user, campaign_ids=[campaign.pk]).get(campaign.pk)
    if existing is not None and existing.status != A.INVITED:
        messages.info(request, _("You have already applied to this campaign."))
        return redirect("campaigns:application", pk=existing.pk)
    missed = eligibility(creator, campaign)
    flags = actions.creator_apply_flags(creator, campaign, application=existing, missed=missed)
    quote = rate_card_quote(creator, campaign)
    form = ApplyForm(request.POST or None, initial={"proposed_rate": quote.amount})
    if quote.source:
        form.fields["proposed_rate"].help_text = f"{form.fields['proposed_rate'].help_text} {quote.source}"
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                campaign=campaign,
                creator=creator,
                actor=request.user,
                pitch=form.cleaned_data["pitch"],
                proposed_rate=form.cleaned_data["proposed_rate"],
                sample_links=form.cleaned_data["sample_links"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except services.CampaignError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Application sent. The brand will get back to you."))
            return redirect("campaigns:application", pk=application.pk)
    return render(
        request,
        "campaigns/apply.html",
        {"campaign": campaign, "form": form, "missed": missed, "creator": creator, **flags},
    )


@login_required
def my_applications(request):
    if not request.user.is_creator:
        raise Http404
    return render(request, "campaigns/my_applications.html", selectors.creator_dashboard(user=request.user))


# --- Both sides: an application, its deliverables and its thread ----------------------------------------------


@login_required
def application_detail(request, pk: int):
    application = selectors.application_visible_to(user=request.user, pk=pk)
    return _application_page(request, application)


def _completion_waits(actions: list, open_deliverables: int) -> list:
    """While deliverables are open, "Mark completed" is not the main button (the service would refuse it);
    the template disables it and says how many deliverables are still open."""
    if not open_deliverables:
        return actions
    return [replace(a, style="secondary") if a.name == "complete" else a for a in actions]


def _application_page(
    request,
    application,
    *,
    bound: tuple[int, SubmissionForm] | None = None,
    bound_live: tuple[int, LiveForm] | None = None,
    status: int = 200,
):
    """The application page; ``bound`` = (deliverable id, a refused SubmissionForm) keeps what was typed, and
    ``bound_live`` the same for a refused "Mark live" address."""
    data = selectors.application_page_data(application=application)
    newest = max((m.pk for m in data["messages"]), default=0)
    if newest:  # the thread is on screen: it is read up to here
        services.thread_mark_read(application=application, actor=request.user, up_to=newest)
    if bound:  # the refused field takes the focus, so the browser brings its error (next to it) into view
        bound[1].focus_first_error()
    deliverables = [
        (
            d,
            deliverable_actions(request.user, d),
            bound[1] if bound and bound[0] == d.pk else SubmissionForm(prefix=f"d{d.pk}"),
            bound_live[1] if bound_live and bound_live[0] == d.pk else LiveForm(prefix=f"d{d.pk}"),
        )
        for d in data["deliverables"]
    ]
    open_deliverables = sum(1 for d in data["deliverables"] if d.status not in (D.APPROVED, D.LIVE))
    return render(
        request,
        "campaigns/application.html",
        {
            "app": application,
            "deliverables": deliverables,
            "messages_list": data["messages"],
            "events": data["events"],
            "reviews": _review_panel(request.user, application),
            "actions": _completion_waits(application_actions(request.user, application), open_deliverables),
            "open_deliverables": open_deliverables,
            "answer_invitation": actions.can_answer_invitation(request.user, application),
            "is_brand": permissions.can_review_application(request.user, application),
            "message_form": MessageForm(),
            "decline_form": DeclineForm(),
            "thread_after": newest,
            "money": hooks.money_status(application),  # payments' label and page, if it is installed
        },
        status=status,
    )


@login_required
@require_POST
def post_message(request, pk: int):
    application = selectors.application_visible_to(user=request.user, pk=pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(application=application, actor=request.user, body=form.cleaned_data["body"])
        except (ValidationError, services.CampaignError) as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("Write a message first (up to 4,000 characters)."))
    return redirect(f"{application_url(application)}#thread")


def _after(request) -> int | None:
    """The ``after`` message id of a live-rows request; None when it is not a whole number >= 0."""
    raw = request.GET.get("after", "0")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


_BAD_AFTER = _("“after” must be a message number.")


@login_required
def thread_new_rows(request, pk: int):
    """The thread's live rows (htmx polls this every few seconds): only messages newer than ``after``, which
    the open page has now shown, so they are read; 204 when there are none."""
    application = selectors.application_visible_to(user=request.user, pk=pk)
    after = _after(request)
    if after is None:
        return HttpResponse(_BAD_AFTER, status=400, content_type="text/plain; charset=utf-8")
    new = selectors.thread_messages_after(application=application, after=after)
    if not new:
        return HttpResponse(status=204)
    newest = max(m.pk for m in new)
    services.thread_mark_read(application=application, actor=request.user, up_to=newest)
    return render(request, "campaigns/_thread_new.html", {"app": application, "messages_list": new, "after": newest})


INBOX_PAGE_SIZE = 30


@login_required
def inbox(request):
    """Every conversation of the person, most recent first, with the other side, the last message and an
    unread count; the first page takes new rows live."""
    if not permissions.can_use_inbox(request.user):
        raise Http404
    page = Paginator(selectors.conversations_of(user=request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.inbox_rows(user=request.user, applications=page.object_list)
    after = max((r.last_message_id for r in rows if r.last_message_id), default=0)
    return render(
        request, "campaigns/inbox.html", {"rows": rows, "page_obj": page, "after": after, "live": page.number == 1}
    )


@login_required
def inbox_new_rows(request):
    """The inbox's live rows: conversations whose last message is newer than ``after``; 204 when none."""
    if not permissions.can_use_inbox(request.user):
        raise Http404
    after = _after(request)
    if after is None:
        return HttpResponse(_BAD_AFTER, status=400, content_type="text/plain; charset=utf-8")
    rows = selectors.inbox_rows(
        user=request.user, applications=selectors.conversations_of(user=request.user, after=after)[:INBOX_PAGE_SIZE]
    )
    if not rows:
        return HttpResponse(status=204)
    newest = max(r.last_message_id for r in rows)
    return render(request, "campaigns/_inbox_new.html", {"rows": rows, "after": newest})


def application_url(application) -> str:
    return reverse("campaigns:application", args=[application.pk])


@login_required
@require_POST
def deliverable_action(request, pk: int, action: str):
    deliverable = selectors.deliverable_visible_to(user=request.user, pk=pk)
    try:
        if action == "submit":
            form = SubmissionForm(request.POST, request.FILES, prefix=f"d{deliverable.pk}")
            if form.is_valid():
                try:
                    actions.deliverable_action("submit").service(
                        deliverable=deliverable,
                        actor=request.user,
                        file=form.cleaned_data["file"],
                        link=form.cleaned_data["link"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    form.add_error("file" if form.cleaned_data.get("file") else None, exc.messages)
            if form.errors:  # refused: the page again, the reason next to the field, the link and note as typed
                return _application_page(request, deliverable.application, bound=(deliverable.pk, form), status=400)
            done = actions.deliverable_action("submit").success
        elif action in ("approve", "revise"):
            form = ReviewForm(request.POST)
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            move = actions.deliverable_action(action)
            move.service(deliverable=deliverable, actor=request.user, comment=comment)
            done = move.success
        elif action == "live":
            form = LiveForm(request.POST, prefix=f"d{deliverable.pk}")
            move = actions.deliverable_action("live")
            if form.is_valid():
                try:
                    move.service(deliverable=deliverable, actor=request.user, url=form.cleaned_data["live_url"])
                except ValidationError as exc:
                    # Not a post of the creator's linked account (stats.posts): the reason next to the address.
                    form.add_error("live_url", exc.message_dict.get("live_url", exc.messages))
            if form.errors:  # refused: the page again, the address as typed, its error beside it
                form.fields["live_url"].widget.attrs["autofocus"] = True
                return _application_page(
                    request, deliverable.application, bound_live=(deliverable.pk, form), status=400
                )
            done = move.success
        else:
            raise Http404
    except (ValidationError, services.CampaignError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect(f"{application_url(deliverable.application)}#deliverable-{deliverable.pk}")


# --- Notifications -----------------------------------------------------------------------------------------------


@login_required
def notifications(request):
    items = list(selectors.notifications_for(user=request.user)[:100])
    return render(request, "campaigns/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    with transaction.atomic():
        services.notifications_mark_read(user=request.user)
    if request.htmx:
        return HttpResponse("")
    return redirect("campaigns:notifications")


@login_required
def notification_open(request, pk: int):
    """Mark one notification read and go where it points."""
    item = selectors.notifications_for(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    services.notifications_mark_read(user=request.user, ids=[item.pk])
    target = item.target_url if item.target_url.startswith("/") and not item.target_url.startswith("//") else "/"
    return redirect(target)


@login_required
@require_POST
def reference_image(request, pk: int):
    """Add (file ``image``) or remove (``remove`` = image id) a reference image of the brief."""
    campaign = selectors.campaign_for_manager(user=request.user, pk=pk)
    try:
        if request.POST.get("remove"):
            image = (
                campaign.reference_images.filter(pk=request.POST["remove"]).first()
                if request.POST["remove"].isdigit()
                else None
            )
            if image is None:
                raise Http404
            services.reference_image_remove(image=image, actor=request.user)
            messages.success(request, _("Reference image removed."))
        else:
            form = ReferenceImageForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.reference_image_add(campaign=campaign, actor=request.user, file=form.cleaned_data["image"])
            messages.success(request, _("Reference image added."))
    except (ValidationError, services.CampaignError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("campaigns:detail", pk=campaign.pk)


# --- Reviews (issue 12) -----------------------------------------------------------------------------------------


def _review_panel(user, application) -> dict:
    """What the application page shows about reviews: mine, theirs once visible (double-blind), what I may do."""
    side = permissions.review_side_of(user, application)
    rows = list(application.reviews.all())
    mine = next((r for r in rows if r.side == side), None)
    theirs = next((r for r in rows if r.side != side and services.review_visible_now(r)), None)
    return {
        "open": services.review_window(application) is not None,
        "blocker": services.review_blocker(user, application) if not mine else "",
        "can_write": not mine and not services.review_blocker(user, application),
        "mine": mine,
        "theirs": theirs,
        "waiting": mine is not None and theirs is None and mine.published_at is None,
        "can_reply": theirs is not None and not theirs.replied_at,
        "reply_form": ReplyForm(),
        "closes": services.review_window(application)[1] if services.review_window(application) else None,
    }


@login_required
def application_review(request, pk: int):
    """The review form of one ended application (GET shows it, POST writes it; refused input keeps what was typed)."""
    application = selectors.application_visible_to(user=request.user, pk=pk)
    side = permissions.review_side_of(request.user, application)
    blocker = services.review_blocker(request.user, application)
    form = RatingForm(request.POST or None, side=side)
    status = 200
    if request.method == "POST" and not blocker:
        if form.is_valid():
            try:
                services.review_create(application=application, actor=request.user, **form.cleaned_data)
            except (ValidationError, services.CampaignError) as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your review is saved. It shows once both sides have "
                        "reviewed, or when the 14-day window closes."
                    ),
                )
                return redirect(f"{application_url(application)}#reviews")
        else:
            status = 400
    return render(
        request,
        "campaigns/review_form.html",
        {"app": application, "form": form, "blocker": blocker, "side": side},
        status=status if not blocker else 200,
    )


@login_required
@require_POST
def review_reply(request, pk: int, review_pk: int):
    application = selectors.application_visible_to(user=request.user, pk=pk)
    review = get_object_or_404(application.reviews, pk=review_pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.review_reply(review=review, actor=request.user, text=form.cleaned_data["reply"])
            messages.success(request, _("Your reply is published."))
        except (ValidationError, services.CampaignError) as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("Write a reply of up to 2000 characters."))
    return redirect(f"{application_url(application)}#reviews")


def brand_page(request, pk: int):
    """A brand's public page: its reviews by creators and its scores with their numbers, and its open briefs."""
    brand = get_object_or_404(Brand, pk=pk, status=VettingStatus.APPROVED)
    return render(
        request,
        "campaigns/brand_page.html",
        {
            "brand": brand,
            "rep": reputation.brand_reputation([brand.pk])[brand.pk],
            "reviews": list(reputation.reviews_of_brand(brand.pk)),
            "open_campaigns": list(brand.campaigns.filter(status=C.OPEN).order_by("application_deadline")[:12]),
        },
    )
