"""The write side of creators: one service per write (STYLE.md)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from audit.models import Action, AuditEntry
from audit.services import record as audit_record
from core import uploads
from core.models import User
from core.vetting import VettingError, vet_one

from . import account_stats
from .changes import creators_changed
from .formats import format_problem
from .models import (
    AudienceDemographics,
    Creator,
    Deliverable,
    DemographicsSource,
    Niche,
    PortfolioItem,
    RateCardEntry,
    RefreshStatus,
    SocialAccount,
)
from .tiers import thresholds

AVATAR_SIZES = {"avatar": (400, 400), "thumb": (96, 96)}
PORTFOLIO_SIZES = {"image": (1200, 1200), "thumb": (480, 480)}


class CreatorError(Exception):
    """A creator write refused for a reason the user can act on."""


@transaction.atomic
def creator_create(*, user: User, display_name: str, handle: str, country: str = "", bio: str = "") -> Creator:
    """Start the creator profile of ``user`` (a creator-side user without one). Raises CreatorError."""
    if not user.is_creator:
        raise CreatorError("Only creator accounts can have a creator profile.")
    if Creator.objects.filter(user=user).exists():
        raise CreatorError("You already have a creator profile.")
    if Creator.objects.filter(handle__iexact=handle).exists():
        raise CreatorError("That handle is taken.")
    creator = Creator.objects.create(
        user=user, display_name=display_name, handle=handle.lower(), country=country, bio=bio
    )
    creator_refresh_search(creator_ids=[creator.pk])
    creators_changed([creator.pk])
    return creator


# An engagement rate above this (percent) is not an audience responding: more likes than views or than
# followers is bought engagement (the demo's "likes over views" accounts read 112 %). The account keeps its
# number (and its authenticity flag); the creator's headline rate, which the directory sorts by, is left empty.
MAX_PLAUSIBLE_ENGAGEMENT = 100


def creator_recompute_audience(*, creator_ids: Iterable[int]) -> None:
    """Set each creator's followers, engagement rate and tier from their largest linked account.

    One set-based statement for any number of creators, so a refresh batch of
    thousands costs one round trip. The tier CASE is built from
    CREATOR_TIER_THRESHOLDS so it can never disagree with tiers.tier_for().
    """
    ids = list(creator_ids)
    if not ids:
        return
    cases = " ".join(f"WHEN top.followers >= {int(bound)} THEN '{tier.value}'" for bound, tier in thresholds())
    # One statement: the accounts' own tiers (a data-modifying CTE) and the creators' numbers from their largest
    # account. Both read the accounts as they were before the statement, which is right: the creators' numbers
    # come from the accounts' followers and engagement rate, which the CTE does not change.
    sql = f"""
        WITH account_tiers AS (
            UPDATE creators_socialaccount AS a
            SET tier = CASE {cases.replace("top.", "a.")} ELSE NULL END
            WHERE a.creator_id = ANY(%s::bigint[])
              AND a.tier IS DISTINCT FROM (CASE {cases.replace("top.", "a.")} ELSE NULL END)
        )
        UPDATE creators_creator AS c
        SET followers = COALESCE(top.followers, 0),
            engagement_rate = CASE WHEN top.engagement_rate > {int(MAX_PLAUSIBLE_ENGAGEMENT)} THEN NULL
                                   ELSE top.engagement_rate END,
            tier = CASE {cases} ELSE NULL END
        FROM unnest(%s::bigint[]) AS ids(id)
        LEFT JOIN LATERAL (
            SELECT a.followers, a.engagement_rate
            FROM creators_socialaccount a
            WHERE a.creator_id = ids.id AND a.followers IS NOT NULL
            ORDER BY a.followers DESC
            LIMIT 1
        ) AS top ON TRUE
        WHERE c.id = ids.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, ids])
    creators_changed(ids)  # the accounts changed: platforms, the largest account's numbers


# One expression for the full-text document; the migration that adds the column uses the same.
SEARCH_DOCUMENT_SQL = """
    setweight(to_tsvector('simple', coalesce(c.display_name, '') || ' ' || c.handle), 'A')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(n.name || ' ' || n.slug, ' ')
        FROM creators_creator_niches cn JOIN creators_niche n ON n.id = cn.niche_id
        WHERE cn.creator_id = c.id), '')), 'B')
    || setweight(to_tsvector('simple', coalesce(c.bio, '')), 'C')
"""


def creator_refresh_search(*, creator_ids: Iterable[int]) -> None:
    """Rebuild the full-text document (name, handle, niches, bio) of the given creators, set-based.

    The 'simple' configuration (no stemming, no stop words) because names and
    handles are not English words; queries use prefix matching instead.
    """
    ids = list(creator_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE creators_creator AS c SET search_vector = {SEARCH_DOCUMENT_SQL} WHERE c.id = ANY(%s::bigint[])",
            [ids],
        )


@transaction.atomic
def creator_update_profile(
    *,
    creator: Creator,
    actor: User,
    display_name: str,
    bio: str,
    country: str,
    languages: list[str],
    niches: Iterable[Niche],
    content_formats: list[str],
    avatar=None,
) -> Creator:
    """Save the editable profile of ``creator`` (its owner only). ``avatar``: a validated upload or None.

    The avatar is re-encoded (EXIF stripped) before anything is stored.
    Raises CreatorError when ``actor`` may not edit this profile.
    """
    _require_owner(creator, actor)
    avatar_files = uploads.accept_image(avatar, sizes=AVATAR_SIZES) if avatar is not None else None
    creator.display_name = display_name
    creator.bio = bio
    creator.country = country.upper()
    creator.languages = [lang.lower() for lang in languages]
    creator.content_formats = list(content_formats)
    fields = ["display_name", "bio", "country", "languages", "content_formats", "updated_at"]
    with uploads.discard_on_error() as stored:
        if avatar_files is not None:
            _store_avatar(creator, avatar_files, stored)
            fields += ["avatar", "avatar_thumb"]
        creator.save(update_fields=fields)
        creator.niches.set(list(niches))
        creator_refresh_search(creator_ids=[creator.pk])
        creators_changed([creator.pk])
    return creator


def _store_avatar(creator: Creator, files: dict, stored: uploads.StoredFiles) -> None:
    """Save the re-encoded avatar (uploads.accept_image) under its new names; the old files go after commit."""
    names = [f.name for f in (creator.avatar, creator.avatar_thumb) if f]
    stored.save(creator.avatar, files["avatar"])
    stored.save(creator.avatar_thumb, files["thumb"])

    def delete_old():
        for name in names:
            if name not in (creator.avatar.name, creator.avatar_thumb.name):
                creator.avatar.storage.delete(name)

    transaction.on_commit(delete_old)


def _require_owner(creator: Creator, actor: User) -> None:
    if creator.user_id != actor.pk:
        raise CreatorError(_("Only the creator can change this profile."))


@transaction.atomic
def social_account_link(*, creator: Creator, actor: User, platform: str, handle: str) -> SocialAccount:
    """Link an account by platform and handle. Its numbers stay pending until the stats pipeline fills them.

    Raises CreatorError if the handle is linked already (by anyone) or the creator already has this platform.
    """
    _require_owner(creator, actor)
    handle = handle.strip().lstrip("@")
    if SocialAccount.objects.filter(platform=platform, handle__iexact=handle).exists():
        raise CreatorError(_("That account is already linked to a profile here."))
    if SocialAccount.objects.filter(creator=creator, platform=platform).exists():
        raise CreatorError(_("You have linked an account on this platform already; remove it first to change it."))
    try:
        with transaction.atomic():  # two people linking the same handle at once: the constraint decides
            account = SocialAccount.objects.create(creator=creator, platform=platform, handle=handle)
    except IntegrityError:
        raise CreatorError(_("That account is already linked to a profile here.")) from None
    creators_changed([creator.pk])  # a new platform, before any numbers arrive
    _queue_first_refresh(account)
    return account


@transaction.atomic
def social_account_connect(
    *,
    creator: Creator,
    actor: User,
    platform: str,
    handle: str,
    external_id: str,
    access_token: str,
    refresh_token: str = "",
    expires_at=None,
) -> SocialAccount:
    """Link (or verify) an account its owner proved through the platform's OAuth flow (marketplace/oauth.py).

    The platform said who the account is, so this outranks a link by handle: the creator's own unverified
    link of the same account becomes verified; an unverified link of it by another profile is removed (the
    owner proved it is theirs; the removal is in the audit log); the creator's unverified link of another
    handle on this platform is replaced. Refused when another profile verified the account, or when the
    creator already verified a different account on this platform.
    """
    from django.utils import timezone

    _require_owner(creator, actor)
    handle = handle.strip().lstrip("@")
    if not handle or not external_id:
        raise CreatorError(_("The platform did not say which account you connected. Please try again."))
    same = SocialAccount.objects.select_for_update().filter(platform=platform, handle__iexact=handle)
    same = same | SocialAccount.objects.select_for_update().filter(platform=platform, external_id=external_id)
    account = None
    claimed_from: list[int] = []
    for other in same.order_by("pk"):
        if other.creator_id == creator.pk:
            account = other
            continue
        if other.verified:
            raise CreatorError(_("That account is verified on another profile here. Contact us if it is yours."))
        audit_record(other.creator, action=Action.ACCOUNT_CLAIMED, actor=actor, note=f"{platform} @{other.handle}")
        claimed_from.append(other.creator_id)
        other.delete()
    mine = SocialAccount.objects.select_for_update().filter(creator=creator, platform=platform).first()
    if account is None and mine is not None:
        if mine.verified and mine.external_id != external_id:
            raise CreatorError(
                _("You verified another account on this platform already; remove it first to change it.")
            )
        account = mine
    elif account is not None and mine is not None and mine.pk != account.pk:
        mine.delete()
    fresh = account is None or account.handle.lower() != handle.lower()
    if account is None:
        account = SocialAccount(creator=creator, platform=platform)
    if fresh and account.pk:  # the creator had typed another handle: its numbers are not this account's
        for name in ("followers", "following", "posts_count", "total_views", "avg_likes", "avg_comments"):
            setattr(account, name, None)
        account.avg_views = account.engagement_rate = account.tier = None
        account.last_refreshed_at = None
        account.refresh_status = RefreshStatus.PENDING
    account.handle = handle
    account.external_id = external_id
    account.verified = True
    account.access_token = access_token
    account.refresh_token = refresh_token
    account.token_expires_at = expires_at
    account.connected_at = timezone.now()
    if account.refresh_status == RefreshStatus.ERROR:  # it needed re-linking; now it has a working token
        account.refresh_status = RefreshStatus.PENDING
        account.consecutive_failures = 0
        account.refresh_error = ""
    account.save()
    audit_record(creator, action=Action.ACCOUNT_VERIFIED, actor=actor, note=f"{platform} @{handle}")
    # Tiers, audience and the match-features row follow: this creator's accounts changed, and so did those of
    # anyone whose unverified link was claimed.
    creator_recompute_audience(creator_ids=[creator.pk, *claimed_from])
    _queue_first_refresh(account)
    return account


@transaction.atomic
def social_account_tokens_update(
    *,
    account: SocialAccount,
    access_token: str = "",
    refresh_token: str = "",
    expires_at=None,
    failed: bool = False,
    error: str = "",
) -> None:
    """Keep a connected account's renewed tokens, or mark it "needs re-linking" when the platform refused."""
    if failed:
        SocialAccount.objects.filter(pk=account.pk).update(
            refresh_status=RefreshStatus.ERROR,
            refresh_error=error or _("The platform refused the connection; reconnect it."),
        )
        return
    account.access_token = access_token
    account.refresh_token = refresh_token
    account.token_expires_at = expires_at
    account.save(update_fields=["access_token", "refresh_token", "token_expires_at"])


def _queue_first_refresh(account: SocialAccount) -> None:
    """Ask the stats pipeline for the new account's numbers now (after commit; beat would anyway)."""
    account_stats.on_account_linked(account.pk)


def account_demographics_set(
    *,
    account: SocialAccount,
    countries: dict,
    ages: dict,
    genders: dict,
    source: str,
    actor: User | None = None,
) -> AudienceDemographics:
    """Store the account's audience demographics (issue 11), replacing what was there.

    ``actor`` is the creator typing them in (source self-reported); the pipeline passes none (platform, demo).
    Raises ValidationError (per group: "countries", "ages", "genders") when the values break the rules of
    creators.demographics.validate, CreatorError when the actor is not the account's creator.
    """
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from .demographics import validate

    if actor is not None:
        _require_owner(account.creator, actor)
    errors = validate(countries, ages, genders)
    if errors:
        raise ValidationError(errors)
    clean = {
        "countries": {k.upper(): float(v) for k, v in countries.items()},
        "ages": {k: float(v) for k, v in ages.items()},
        "genders": {k: float(v) for k, v in genders.items()},
    }
    demographics, _created = AudienceDemographics.objects.update_or_create(
        account=account, defaults={**clean, "source": DemographicsSource(source).value, "updated_at": timezone.now()}
    )
    creators_changed([account.creator_id])  # whether an audience is known: matching's lower bound reads it
    return demographics


@transaction.atomic
def social_account_unlink(*, account: SocialAccount, actor: User) -> None:
    """Remove a linked account and recompute the creator's audience from the others."""
    _require_owner(account.creator, actor)
    creator_id = account.creator_id
    account.delete()
    creator_recompute_audience(creator_ids=[creator_id])


@transaction.atomic
def rate_card_save(
    *,
    creator: Creator,
    actor: User,
    platform: str,
    deliverable: str,
    price: Decimal,
    currency: str,
    note: str = "",
    entry: RateCardEntry | None = None,
) -> RateCardEntry:
    """Add (entry=None) or change one rate-card entry. Raises CreatorError on a duplicate deliverable."""
    _require_owner(creator, actor)
    if entry is not None and entry.creator_id != creator.pk:
        raise CreatorError(_("That rate belongs to another profile."))
    problem = format_problem(platform, deliverable, labels=dict(Deliverable.choices))
    if problem:
        raise CreatorError(problem)
    clash = RateCardEntry.objects.filter(creator=creator, platform=platform, deliverable=deliverable)
    if entry is not None:
        clash = clash.exclude(pk=entry.pk)
    if clash.exists():
        raise CreatorError(_("You already have a price for this deliverable on this platform; edit that one."))
    entry = entry or RateCardEntry(creator=creator)
    entry.platform, entry.deliverable, entry.price, entry.currency, entry.note = (
        platform,
        deliverable,
        price,
        currency,
        note,
    )
    try:
        with transaction.atomic():  # a double-submitted form: the constraint decides
            entry.save()
    except IntegrityError:
        raise CreatorError(
            _("You already have a price for this deliverable on this platform; edit that one.")
        ) from None
    creators_changed([creator.pk])
    return entry


@transaction.atomic
def rate_card_delete(*, entry: RateCardEntry, actor: User) -> None:
    _require_owner(entry.creator, actor)
    entry.delete()
    creators_changed([entry.creator_id])


@transaction.atomic
def portfolio_add(*, creator: Creator, actor: User, caption: str, url: str = "", image=None) -> PortfolioItem:
    """Add a portfolio item: an image (re-encoded, EXIF stripped), a link, or both. Raises CreatorError."""
    _require_owner(creator, actor)
    if not url and image is None:
        raise CreatorError(_("Add an image or a link."))
    item = PortfolioItem(creator=creator, caption=caption, url=url, position=creator.portfolio.count())
    files = uploads.accept_image(image, sizes=PORTFOLIO_SIZES, crop=False) if image is not None else {}
    with uploads.discard_on_error() as stored:
        if files:
            stored.save(item.image, files["image"])
            stored.save(item.thumb, files["thumb"])
        item.save()
    return item


@transaction.atomic
def portfolio_delete(*, item: PortfolioItem, actor: User) -> None:
    _require_owner(item.creator, actor)
    names = [f.name for f in (item.image, item.thumb) if f]
    storage = item.image.storage
    item.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


# --- Vetting (PRODUCT §3) ------------------------------------------------------------------


def creator_set_status(*, creator: Creator, status: str, reason: str = "", actor: User) -> AuditEntry:
    """Move a creator to ``status`` (staff only) through the one vetting service (core.vetting.vet_one):
    recorded in the audit log, emailed to the creator in their language after commit.

    Raises CreatorError (nothing changed) for a non-staff actor, a move not in VETTING_MOVES, or a rejection or
    suspension without a reason.
    """
    try:
        return vet_one(creator, status, by=actor, reason=reason)
    except VettingError as exc:
        raise CreatorError(str(exc)) from exc
