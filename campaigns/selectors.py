"""The read side of campaigns: every queryset is scoped to what the user may see (others' objects → 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Left
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import Truncator

from audit.models import AuditEntry
from audit.selectors import history as audit_history
from brands.models import BrandMember
from core.models import User
from creators.models import Creator, Niche, SocialAccount

from .models import (
    Application,
    ApplicationStatus as A,
    Campaign,
    CampaignStatus as C,
    CompensationType,
    Deliverable,
    DeliverableSpec,
    DeliverableStatus as D,
    Message,
    Notification,
    Submission,
    ThreadReadMarker,
)
from .permissions import brand_ids_of, is_application_creator

_STATE_LABELS = {"campaign": dict(C.choices), "application": dict(A.choices), "deliverable": dict(D.choices)}


@dataclass(frozen=True)
class HistoryLine:
    """One line of a History card: an audit entry, the deliverable it is about (if any), its state's label."""

    entry: AuditEntry
    deliverable: Deliverable | None = None

    @property
    def label(self) -> str:
        state = self.entry.to_state
        return str(_STATE_LABELS.get(self.entry.target_type.model, {}).get(state, state))

    @property
    def at(self):
        return self.entry.at

    @property
    def actor(self):
        return self.entry.actor

    @property
    def note(self) -> str:
        return self.entry.note


def _campaign_base() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("brand").prefetch_related("niches", "deliverable_specs")


def campaigns_for_brand(*, user) -> QuerySet[Campaign]:
    """The campaigns of the user's brands, with applicant counts per state."""
    counts = {f"n_{s.value}": Count("applications", filter=Q(applications__status=s.value)) for s in A}
    return (
        Campaign.objects.filter(brand_id__in=brand_ids_of(user))
        .select_related("brand")
        .annotate(
            n_applications=Count("applications"),
            n_hired=Count("applications", filter=Q(applications__status__in=[A.ACCEPTED, A.COMPLETED])),
            **counts,
        )
        .order_by("-created_at")
    )


def campaign_status_counts(*, user) -> dict[str, int]:
    rows = Campaign.objects.filter(brand_id__in=brand_ids_of(user)).values("status").annotate(n=Count("id"))
    found = {r["status"]: r["n"] for r in rows}
    return {s.value: found.get(s.value, 0) for s in C}


def campaign_for_manager(*, user, pk: int) -> Campaign:
    """A campaign of one of the user's brands, or 404."""
    try:
        return _campaign_base().prefetch_related("reference_images").get(pk=pk, brand_id__in=brand_ids_of(user))
    except Campaign.DoesNotExist:
        raise Http404 from None


def campaign_visible_to(*, user, pk: int) -> Campaign:
    """Brand members see their own in any state, staff see all, creators see published ones; else 404."""
    qs = _campaign_base().prefetch_related("reference_images")
    if not user.is_authenticated:
        raise Http404
    if not user.is_staff:
        visible = Q(brand_id__in=brand_ids_of(user))
        if user.is_creator:
            visible |= ~Q(status=C.DRAFT)
        qs = qs.filter(visible)
    try:
        return qs.get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def campaign_public_or_404(*, pk: int) -> Campaign:
    """An open campaign, for visitors without an account (issue 14: public pages); drafts, closed,
    completed and cancelled campaigns answer 404."""
    try:
        return _campaign_base().get(pk=pk, status=C.OPEN)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None
    return number if number is None or number.is_finite() else None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def campaigns_open(*, filters: dict | None = None) -> QuerySet[Campaign]:
    """Open campaigns before their deadline, filtered by niche, platform, compensation type, fee range,
    deadline and a search term. Bad filter values are ignored rather than failing."""
    f = filters or {}
    qs = _campaign_base().filter(status=C.OPEN, application_deadline__gte=timezone.localdate())
    if f.get("niche"):  # EXISTS, not a join: no duplicate rows, so no DISTINCT over every open campaign
        qs = qs.filter(
            Exists(Campaign.niches.through.objects.filter(campaign_id=OuterRef("pk"), niche__slug=f["niche"]))
        )
    if f.get("platform"):
        qs = qs.filter(platforms__contains=[f["platform"]])
    if f.get("compensation") in CompensationType.values:
        kind = f["compensation"]
        if kind == CompensationType.FEE:
            qs = qs.filter(fee_per_creator__gt=0)
        elif kind == CompensationType.GIFTED:
            qs = qs.exclude(gifted_product="")
        elif kind == CompensationType.COMMISSION:
            qs = qs.filter(commission_percent__gt=0)
        else:
            qs = qs.filter(compensation_type=CompensationType.MIX)
    if (fee_min := _decimal(f.get("fee_min"))) is not None:
        qs = qs.filter(fee_per_creator__gte=fee_min)
    if (fee_max := _decimal(f.get("fee_max"))) is not None:
        qs = qs.filter(fee_per_creator__lte=fee_max)
    if deadline := _date(f.get("deadline_before")):
        qs = qs.filter(application_deadline__lte=deadline)
    if q := (f.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(product_description__icontains=q) | Q(brand__name__icontains=q))
    order = {"deadline": "application_deadline", "fee": "-fee_per_creator"}.get(f.get("sort"), "-published_at")
    return qs.order_by(order, "-id")


def campaign_cards_open(*, filters: dict | None = None) -> QuerySet[Campaign]:
    """``campaigns_open`` for the list's cards (campaigns.cards): the deliverable specs and niche names as arrays
    on each row ("platform:format:quantity" in spec order, names in niche order) instead of two prefetches, so a
    page of cards is one statement and the cards' cache keys and HTML come from the same read."""
    specs = DeliverableSpec.objects.filter(campaign_id=OuterRef("pk")).order_by("id")
    spec_text = Concat("platform", Value(":"), "format", Value(":"), Cast("quantity", CharField()))
    niches = Niche.objects.filter(campaigns=OuterRef("pk")).order_by("name", "id").values("name")
    return (
        campaigns_open(filters=filters)
        .prefetch_related(None)
        .annotate(card_specs=ArraySubquery(specs.values(text=spec_text)), card_niches=ArraySubquery(niches))
    )


def creator_with_accounts(*, user) -> Creator | None:
    if not user.is_authenticated or not user.is_creator:
        return None
    return Creator.objects.prefetch_related("accounts").filter(user=user).first()


def applications_for_creator(*, user) -> QuerySet[Application]:
    next_due = Min("deliverables__due_date", filter=~Q(deliverables__status__in=[D.APPROVED, D.LIVE]))
    return (
        Application.objects.filter(creator__user=user)
        .select_related("campaign__brand", "creator")
        .annotate(next_due=next_due)
        .order_by("-updated_at")
    )


def application_ids_by_campaign(*, user, campaign_ids) -> dict[int, Application]:
    return {
        a.campaign_id: a for a in Application.objects.filter(creator__user=user, campaign_id__in=list(campaign_ids))
    }


APPLICANT_SORTS = {
    "newest": "-created_at",
    "followers": "-creator__followers",
    "engagement": "-creator__engagement_rate",
    "rate": "proposed_rate",
}


def applicants_for_campaign(*, campaign: Campaign, filters: dict | None = None) -> QuerySet[Application]:
    """The campaign's applications (caller got ``campaign`` from campaign_for_manager), filtered and sorted."""
    f = filters or {}
    qs = (
        Application.objects.filter(campaign=campaign)
        .select_related("creator", "campaign__brand")
        .prefetch_related(
            Prefetch("creator__accounts", queryset=SocialAccount.objects.order_by("-followers")), "creator__niches"
        )
    )
    if f.get("status") in A.values:
        qs = qs.filter(status=f["status"])
    if f.get("tier"):
        qs = qs.filter(creator__tier=f["tier"])
    sort = APPLICANT_SORTS.get(f.get("sort"), "-created_at")
    field = F(sort.lstrip("-"))
    return qs.order_by(field.desc(nulls_last=True) if sort.startswith("-") else field.asc(nulls_last=True), "-id")


def _either_side(user, via: str = "") -> Q:
    """Rows of an application the user is on: as its creator, or as a member of the campaign's brand."""
    return Q(**{f"{via}creator__user": user}) | Q(**{f"{via}campaign__brand_id__in": brand_ids_of(user)})


def application_visible_to(*, user, pk: int) -> Application:
    """The creator's own application, or one to a campaign of the user's brands; else 404."""
    if not user.is_authenticated:
        raise Http404
    qs = Application.objects.select_related("campaign__brand", "creator__user").filter(_either_side(user))
    return get_object_or_404(qs, pk=pk)


def applications_for_user(*, user) -> QuerySet[Application]:
    """API list: a creator's own applications, or those to the user's brands' campaigns."""
    return (
        Application.objects.filter(_either_side(user))
        .select_related("campaign__brand", "creator")
        .order_by("-created_at", "-id")
    )


def application_page_data(*, application: Application) -> dict:
    deliverables = list(
        Deliverable.objects.filter(application=application).prefetch_related(
            Prefetch("submissions", queryset=Submission.objects.order_by("-created_at", "-id"))
        )
    )
    messages = list(Message.objects.filter(application=application).select_related("author__creator"))
    return {
        "deliverables": deliverables,
        "messages": messages,
        "events": application_history(application=application, deliverables=deliverables),
    }


def application_history(*, application: Application, deliverables: list[Deliverable]) -> list[HistoryLine]:
    """The application's moves and its deliverables' moves, from the one audit log, in one query."""
    by_pk = {d.pk: d for d in deliverables}
    return [
        HistoryLine(entry, by_pk.get(entry.target_id) if entry.target_type.model == "deliverable" else None)
        for entry in audit_history([application, *deliverables])
    ]


def campaign_history(*, campaign: Campaign) -> list[HistoryLine]:
    return [HistoryLine(entry) for entry in audit_history([campaign])]


def deliverable_visible_to(*, user, pk: int) -> Deliverable:
    if not user.is_authenticated:
        raise Http404
    qs = Deliverable.objects.select_related("application__campaign__brand", "application__creator").filter(
        _either_side(user, via="application__")
    )
    return get_object_or_404(qs, pk=pk)


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


# --- Messages: the inbox, unread state, new rows for the live thread ---------------------------------------


class _CountOf(Subquery):
    """The number of rows a queryset would return, as a scalar subquery (0 when none)."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS _counted)"
    output_field = IntegerField()


def _threads_of(user, via: str = "") -> Q:
    """The user's threads: as the application's creator, or as a member of its campaign's brand. Brand
    membership is a subquery here (not brand_ids_of) so the header's count stays one query on every page."""
    brands = BrandMember.objects.filter(user_id=user.pk).values("brand_id")
    return Q(**{f"{via}creator__user_id": user.pk}) | Q(**{f"{via}campaign__brand_id__in": brands})


def _unread_for(user, messages: QuerySet[Message]) -> QuerySet[Message]:
    """Of ``messages``, those others wrote (a deleted author's too) beyond the user's read marker of their thread."""
    read = ThreadReadMarker.objects.filter(
        user_id=user.pk, application_id=OuterRef("application_id"), last_read_message_id__gte=OuterRef("pk")
    )
    return messages.exclude(author_id=user.pk).exclude(Exists(read)).order_by()


def unread_messages(*, user) -> QuerySet[Message]:
    """All messages on the user's threads that are unread for them (their own messages never are)."""
    return _unread_for(user, Message.objects.filter(_threads_of(user, via="application__")))


def header_counts(*, user) -> dict[str, int]:
    """The header's badges, unread notifications and unread messages, in one query."""
    if not user.is_authenticated:
        return {"notifications": 0, "messages": 0}
    notes = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).order_by().values("pk")
    row = (
        User.objects.filter(pk=user.pk)
        .values(n_notifications=_CountOf(notes), n_messages=_CountOf(unread_messages(user=user).values("pk")))
        .first()
    )
    if row is None:
        return {"notifications": 0, "messages": 0}
    return {"notifications": row["n_notifications"], "messages": row["n_messages"]}


@dataclass(frozen=True)
class InboxRow:
    """One conversation of the inbox, as its reader sees it."""

    application: Application
    other_name: str
    campaign_title: str
    excerpt: str
    last_at: dt.datetime | None
    last_is_mine: bool
    unread: int
    last_message_id: int | None


def conversations_of(*, user, after: int | None = None) -> QuerySet[Application]:
    """The user's conversations, most recent activity first: a creator's applications (all of them, a thread
    exists from the start), a brand member's brands' applications that have messages. ``after``: only those
    whose last message has a larger id (the inbox's live rows)."""
    latest = Message.objects.filter(application_id=OuterRef("pk")).order_by("-id")
    brands = BrandMember.objects.filter(user_id=user.pk).values("brand_id")
    qs = (
        Application.objects.select_related("campaign__brand", "creator")
        .annotate(
            last_message_id=Subquery(latest.values("id")[:1]),
            last_message_at=Subquery(latest.values("created_at")[:1]),
            last_author_id=Subquery(latest.values("author_id")[:1]),
            last_excerpt=Subquery(latest.annotate(start=Left("body", 200)).values("start")[:1]),
            unread=_CountOf(_unread_for(user, Message.objects.filter(application_id=OuterRef("pk"))).values("pk")),
            activity=Coalesce("last_message_at", "created_at"),
        )
        .filter(Q(creator__user_id=user.pk) | Q(campaign__brand_id__in=brands, last_message_id__isnull=False))
    )
    if after is not None:
        qs = qs.filter(last_message_id__gt=after)
    return qs.order_by(F("activity").desc(), "-id")


def inbox_rows(*, user, applications) -> list[InboxRow]:
    """Inbox rows for applications from conversations_of: the other side's name, the excerpt, the counts."""
    rows = []
    for app in applications:
        mine = is_application_creator(user, app)
        rows.append(
            InboxRow(
                application=app,
                other_name=app.campaign.brand.name if mine else app.creator.display_name,
                campaign_title=app.campaign.title,
                excerpt=Truncator(" ".join((app.last_excerpt or "").split())).chars(140),
                last_at=app.last_message_at,
                last_is_mine=app.last_message_id is not None and app.last_author_id == user.pk,
                unread=app.unread,
                last_message_id=app.last_message_id,
            )
        )
    return rows


def thread_messages_after(*, application: Application, after: int) -> list[Message]:
    """The thread's messages newer than message id ``after`` (the caller got ``application`` from
    application_visible_to), oldest first."""
    return list(
        Message.objects.filter(application=application, id__gt=after).select_related("author__creator").order_by("id")
    )


def creator_dashboard(*, user) -> dict:
    apps = list(applications_for_creator(user=user))
    by_state: dict[str, list[Application]] = {s.value: [] for s in A}
    for app in apps:
        by_state[app.status].append(app)
    due = sorted((a for a in apps if a.status == A.ACCEPTED and a.next_due), key=lambda a: a.next_due)
    return {
        "applications": apps,
        "by_state": by_state,
        "upcoming": due[:5],
        "counts": [
            (s.label, s.value, len(by_state[s.value]))
            for s in (A.INVITED, A.SUBMITTED, A.SHORTLISTED, A.ACCEPTED, A.COMPLETED)
        ],
    }
