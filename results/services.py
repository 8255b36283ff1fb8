"""Writes of the results app: tracked links, promo codes, conversions (API, CSV, webhook) and the webhook secret."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from audit.services import record
from campaigns.models import ApplicationStatus
from core.api_fields import MAX_ID

from . import links
from .models import Conversion, ConversionSource, TrackedLink, WebhookDelivery, WebhookEndpoint

HIRED = (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED)
PROMO_MAX = 40
AMOUNT_MAX_MAJOR = 10**10  # 10 billion in major units: 10**12 minor units, the most one order may be


class ResultsError(Exception):
    """A refused write, with a message for the person who asked."""

    status_code = 400


class NotFound(ResultsError):
    status_code = 404


# --- tracked links -------------------------------------------------------------------------------------------


def link_for_application(*, application) -> TrackedLink:
    """The hire's tracked link, made on first need (a new code, retried on the rare collision)."""
    existing = TrackedLink.objects.filter(application=application).first()
    if existing:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                link, _created = TrackedLink.objects.get_or_create(
                    application=application,
                    defaults={"campaign_id": application.campaign_id, "code": links.new_code()},
                )
                return link
        except IntegrityError:  # the code was taken: try another
            continue
    raise ResultsError(_("Could not make a tracked link; try again."))


def links_ensure(*, campaign) -> int:
    """Every hire of the campaign has its link (hires from before this feature get theirs here); how many made."""
    missing = campaign.applications.filter(status__in=HIRED, tracked_link__isnull=True)
    made = 0
    for application in missing:
        link_for_application(application=application)
        made += 1
    return made


def normalise_promo(value: str) -> str:
    return "".join(value.split()).upper()


@transaction.atomic
def link_set_promo_code(*, link: TrackedLink, promo_code: str, actor) -> TrackedLink:
    code = normalise_promo(promo_code)
    if len(code) > PROMO_MAX:
        raise ResultsError(_("A promo code has at most %(n)d characters.") % {"n": PROMO_MAX})
    if code and not code.replace("-", "").replace("_", "").isalnum():
        raise ResultsError(_("A promo code has letters, digits, - and _ only."))
    if code and TrackedLink.objects.filter(campaign_id=link.campaign_id, promo_code=code).exclude(pk=link.pk).exists():
        raise ResultsError(_("%(code)s is already another creator's code in this campaign.") % {"code": code})
    before = link.promo_code
    link.promo_code = code
    try:
        with transaction.atomic():
            link.save(update_fields=["promo_code"])
    except IntegrityError:  # a concurrent save took it
        link.promo_code = before
        raise ResultsError(_("%(code)s is already another creator's code in this campaign.") % {"code": code}) from None
    record(link.application, action="promo_code", actor=actor, note=f"{before or '—'} → {code or '—'}")
    return link


# --- conversions -------------------------------------------------------------------------------------------


@dataclass
class ConversionInput:
    order_id: str
    amount: int  # minor units
    currency: str
    code: str  # a tracked link's code or a promo code
    occurred_at: dt.datetime | None = None
    campaign_id: int | None = None


def resolve_code(*, brand, code: str, campaign_id: int | None = None) -> TrackedLink:
    """The brand's link with this short code or promo code; another brand's (or none) is not found."""
    code = code.strip()
    if not code:
        raise ResultsError(_("Give the creator's link code or promo code."))
    mine = TrackedLink.objects.filter(campaign__brand=brand)
    if campaign_id is not None:
        mine = mine.filter(campaign_id=campaign_id)
    link = mine.filter(code=code).first()
    if link:
        return link
    by_promo = list(mine.filter(promo_code=normalise_promo(code))[:2])
    if len(by_promo) == 1:
        return by_promo[0]
    if len(by_promo) > 1:
        raise ResultsError(
            _("Promo code %(c)s is used in several of your campaigns: say which campaign.") % {"c": code}
        )
    raise NotFound(_("No link or promo code %(c)s in your campaigns.") % {"c": code})


def _check_money(amount: int, currency: str) -> None:
    if amount < 0:
        raise ResultsError(_("The amount cannot be negative."))
    if amount > 10**12:
        raise ResultsError(_("The amount is too large."))
    if currency != settings.PAYMENTS_CURRENCY.upper():
        raise ResultsError(
            _("Amounts must be in %(c)s, the currency the campaign is paid in (so ROAS compares like with like).")
            % {"c": settings.PAYMENTS_CURRENCY.upper()}
        )


def conversion_record(*, brand, data: ConversionInput, source: str, actor=None) -> tuple[Conversion, bool]:
    """Record one order; (conversion, created). The same order id again returns the first, unchanged."""
    order_id = data.order_id.strip()
    if not order_id or len(order_id) > 100:
        raise ResultsError(_("The order id is required (at most 100 characters)."))
    existing = Conversion.objects.filter(brand=brand, order_id=order_id).first()
    if existing:
        return existing, False
    currency = data.currency.strip().upper()
    _check_money(data.amount, currency)
    link = resolve_code(brand=brand, code=data.code, campaign_id=data.campaign_id)
    try:
        with transaction.atomic():
            conversion = Conversion.objects.create(
                brand=brand,
                link=link,
                order_id=order_id,
                amount=data.amount,
                currency=currency,
                source=source,
                occurred_at=data.occurred_at or timezone.now(),
            )
    except IntegrityError:  # the same order arrived concurrently: the first one stands
        return Conversion.objects.get(brand=brand, order_id=order_id), False
    return conversion, True


def parse_amount(text: str) -> int:
    """ "12.50" → 1250 minor units; refuses more than two decimals, signs and garbage."""
    text = text.strip().replace(",", "")
    not_an_amount = ResultsError(_("%(v)s is not an amount (write it like 12.50).") % {"v": text or _("an empty cell")})
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise not_an_amount from None
    if not value.is_finite() or abs(value) > AMOUNT_MAX_MAJOR:
        raise not_an_amount
    if value != value.quantize(Decimal("0.01")):
        raise ResultsError(_("%(v)s has more than two decimals.") % {"v": text})
    return int(value * 100)


def parse_when(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    wrong = ResultsError(_("%(v)s is not a date (write 2026-03-01 or 2026-03-01T14:30:00Z).") % {"v": text[:40]})
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise wrong
            moment = dt.datetime.combine(day, dt.time(12, 0))
    except (ValueError, OverflowError):  # well-formed but impossible: 2026-13-01
        raise wrong from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 5000
CSV_COLUMNS = ("order_id", "amount", "currency", "code")


@dataclass
class ImportReport:
    created: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, order id) already recorded
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def conversions_import_csv(*, brand, campaign, upload, actor) -> ImportReport:
    """Import a CSV of orders for one campaign: columns order_id, amount, currency, code (link or promo code), and
    optionally occurred_at. Each bad row is reported with its line number and why; every good row is recorded
    (in one transaction: all of them or, if the database fails, none). A file over 1 MB or 5,000 rows is refused."""
    if upload.size > CSV_MAX_BYTES:
        raise ResultsError(_("The file is over 1 MB; split it into smaller files."))
    raw = upload.read(CSV_MAX_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsError(_("The file is not UTF-8 text; export it as CSV UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ResultsError(
            _("The first line must name the columns order_id, amount, currency, code (missing: %(m)s).")
            % {"m": ", ".join(missing)}
        )
    reader.fieldnames = header
    report = ImportReport()
    good: list[tuple[int, ConversionInput, TrackedLink]] = []
    seen: dict[str, int] = {}
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ResultsError(_("The file is not valid CSV: %(e)s") % {"e": exc}) from None
    if len(rows) > CSV_MAX_ROWS:
        raise ResultsError(_("At most %(n)d orders per file.") % {"n": CSV_MAX_ROWS})
    here = list(TrackedLink.objects.filter(campaign=campaign, campaign__brand=brand))  # one query, not one per line
    by_code = {link.code: link for link in here}
    by_promo = {link.promo_code: link for link in here if link.promo_code}

    def resolve(code: str) -> TrackedLink:
        code = code.strip()
        if not code:
            raise ResultsError(_("Give the creator's link code or promo code."))
        link = by_code.get(code) or by_promo.get(normalise_promo(code))
        if link is None:
            raise NotFound(_("No link or promo code %(c)s in your campaigns.") % {"c": code})
        return link

    existing = set(
        Conversion.objects.filter(
            brand=brand, order_id__in=[(r.get("order_id") or "").strip() for r in rows]
        ).values_list("order_id", flat=True)
    )
    for index, row in enumerate(rows):
        line = index + 2  # the header is line 1
        if None in row:
            report.errors.append((line, _("More cells than columns.")))
            continue
        order_id = (row.get("order_id") or "").strip()
        try:
            if not order_id or len(order_id) > 100:
                raise ResultsError(_("The order id is required (at most 100 characters)."))
            if order_id in seen:
                raise ResultsError(_("Order %(o)s is already on line %(l)d.") % {"o": order_id, "l": seen[order_id]})
            if order_id in existing:
                report.duplicates.append((line, order_id))
                seen[order_id] = line
                continue
            item = ConversionInput(
                order_id=order_id,
                amount=parse_amount(row.get("amount") or ""),
                currency=(row.get("currency") or "").strip().upper(),
                code=row.get("code") or "",
                occurred_at=parse_when(row.get("occurred_at") or ""),
                campaign_id=campaign.pk,
            )
            _check_money(item.amount, item.currency)
            link = resolve(item.code)
        except ResultsError as exc:
            report.errors.append((line, str(exc)))
            continue
        seen[order_id] = line
        good.append((line, item, link))
    with transaction.atomic():
        made = Conversion.objects.bulk_create(
            [
                Conversion(
                    brand=brand,
                    link=link,
                    order_id=item.order_id,
                    amount=item.amount,
                    currency=item.currency,
                    source=ConversionSource.CSV,
                    occurred_at=item.occurred_at or timezone.now(),
                )
                for _line, item, link in good
            ],
            ignore_conflicts=True,
        )
    report.created = len(made)
    if good:
        record(
            campaign,
            action="conversions_imported",
            actor=actor,
            note=_("%(n)d orders from a CSV file") % {"n": len(good)},
        )
    return report


# --- the signed webhook --------------------------------------------------------------------------------------


def webhook_endpoint(*, brand) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(brand=brand).first()
    if endpoint is None:
        endpoint, _created = WebhookEndpoint.objects.get_or_create(
            brand=brand, defaults={"token": secrets.token_hex(12), "secret": "whsec_" + secrets.token_hex(24)}
        )
    return endpoint


@transaction.atomic
def webhook_secret_rotate(*, brand, actor) -> WebhookEndpoint:
    endpoint = webhook_endpoint(brand=brand)
    endpoint.secret = "whsec_" + secrets.token_hex(24)
    endpoint.save(update_fields=["secret", "rotated_at"])
    record(brand, action="webhook_secret_rotated", actor=actor)
    return endpoint


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature the sender puts in ``X-Signature: t=<timestamp>,v1=<hex>``."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class SignatureError(ResultsError):
    status_code = 400


def verify_signature(*, secret: str, header: str, body: bytes, now: float | None = None) -> None:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        raise SignatureError(_("The X-Signature header needs t=<unix time>,v1=<hex HMAC-SHA256>.")) from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > settings.RESULTS_WEBHOOK_TOLERANCE_SECONDS:
        raise SignatureError(_("The signature's timestamp is too old or in the future."))
    expected = sign(secret, timestamp, body)
    given = [v for k, v in (p.split("=", 1) for p in header.split(",") if "=" in p) if k.strip() == "v1"]
    if not any(hmac.compare_digest(expected, g.strip()) for g in given):
        raise SignatureError(_("The signature does not match."))


def webhook_apply(*, token: str, header: str, body: bytes, payload: dict) -> tuple[str, int]:
    """Verify and apply one conversion event; (message, HTTP status). The same event id twice is applied once."""
    endpoint = WebhookEndpoint.objects.select_related("brand").filter(token=token).first()
    if endpoint is None:
        raise NotFound(_("Unknown webhook address."))
    verify_signature(secret=endpoint.secret, header=header, body=body)
    event_id = str(payload.get("id") or "").strip()
    if not event_id or len(event_id) > 100:
        raise ResultsError(_("The event needs an id (at most 100 characters)."))
    with transaction.atomic():
        _delivery, fresh = WebhookDelivery.objects.get_or_create(brand=endpoint.brand, event_id=event_id)
        if not fresh:
            return _("Event %(e)s was already applied.") % {"e": event_id}, 200
        data = conversion_input(payload)
        conversion, created = conversion_record(brand=endpoint.brand, data=data, source=ConversionSource.WEBHOOK)
    if created:
        return _("Order %(o)s recorded.") % {"o": conversion.order_id}, 201
    return _("Order %(o)s was already recorded.") % {"o": conversion.order_id}, 200


def conversion_input(payload: dict) -> ConversionInput:
    """A webhook event's (or API body's) fields: order_id, amount (minor units, integer), currency, code."""
    amount = payload.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or abs(amount) > 10**15:
        raise ResultsError(_("amount must be an integer number of minor units (1250 for 12.50)."))
    campaign = payload.get("campaign")
    if campaign is not None and (
        not isinstance(campaign, int) or isinstance(campaign, bool) or not 0 < campaign <= MAX_ID
    ):
        raise ResultsError(_("campaign must be a campaign id."))
    occurred = payload.get("occurred_at")
    return ConversionInput(
        order_id=str(payload.get("order_id") or ""),
        amount=amount,
        currency=str(payload.get("currency") or ""),
        code=str(payload.get("code") or ""),
        occurred_at=parse_when(str(occurred)) if occurred else None,
        campaign_id=campaign,
    )
