"""Thin views: the tracked-link redirect, the brand's links and codes, conversions upload, the webhook, the report."""

from __future__ import annotations

import csv
import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import campaign_for_manager
from creators.models import Platform

from . import charts, clicks, links, report as report_module, services
from .forms import ConversionUploadForm, PromoCodeForm
from .models import TrackedLink

logger = logging.getLogger(__name__)


# --- the redirect: no session, no database write, one cached lookup ---------------------------------------------


@require_GET
def follow(request, code: str):
    found = links.destination_for(code) if links.CODE_SHAPE.fullmatch(code) else None
    if found is None:
        raise Http404
    link_id, address = found
    clicks.record(request, link_id)
    response = HttpResponseRedirect(address)
    response["Cache-Control"] = "no-store"  # every click comes back here to be counted
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the brand's pages ---------------------------------------------------------------------------------------


@login_required
def campaign_links(request, pk: int):
    """Each hire's tracked link and promo code; the brand sets the code here."""
    campaign = campaign_for_manager(user=request.user, pk=pk)
    services.links_ensure(campaign=campaign)
    rows = list(
        TrackedLink.objects.filter(campaign=campaign, application__status__in=services.HIRED)
        .select_related("application__creator")
        .order_by("application__creator__display_name", "pk")
    )
    bound = None
    if request.method == "POST":
        link = next((r for r in rows if str(r.pk) == request.POST.get("link")), None)
        if link is None:
            raise Http404
        bound = PromoCodeForm(request.POST, prefix=f"l{link.pk}")
        if bound.is_valid():
            try:
                services.link_set_promo_code(link=link, promo_code=bound.cleaned_data["promo_code"], actor=request.user)
            except services.ResultsError as exc:
                bound.add_error("promo_code", str(exc))
            else:
                messages.success(request, _("Promo code saved."))
                return redirect("results:links", pk=campaign.pk)
        bound.link_pk = link.pk
    items = []
    for link in rows:
        form = bound if bound is not None and bound.link_pk == link.pk else None
        form = form or PromoCodeForm(prefix=f"l{link.pk}", initial={"promo_code": link.promo_code})
        items.append({"link": link, "url": request.build_absolute_uri(f"/r/{link.code}"), "form": form})
    return render(
        request,
        "results/links.html",
        {"campaign": campaign, "items": items, "landing": links.landing_for(campaign)},
        status=400 if bound is not None else 200,
    )


@login_required
def conversions_upload(request, pk: int):
    campaign = campaign_for_manager(user=request.user, pk=pk)
    form = ConversionUploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.conversions_import_csv(
                brand=campaign.brand, campaign=campaign, upload=form.cleaned_data["file"], actor=request.user
            )
        except services.ResultsError as exc:
            form.add_error("file", str(exc))
            status = 400
        else:
            status = 400 if result.errors else 200
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "results/upload.html",
        {"campaign": campaign, "form": form, "result": result, "columns": services.CSV_COLUMNS},
        status=status,
    )


def _report(request, pk: int):
    campaign = campaign_for_manager(user=request.user, pk=pk)
    return campaign, report_module.build(campaign)


REPORT_COLUMNS = [
    "views",
    "engagements",
    "engagement_rate",
    "clicks",
    "ctr",
    "conversions",
    "revenue",
    "spend",
    "cpm",
    "cpe",
    "cpc",
    "cpa",
    "roas",
    "emv",
]
HEADLINE = ["roas", "revenue", "spend", "emv"]


def _context(request, campaign, built) -> dict:
    total = built.total_by_key
    return {
        "campaign": campaign,
        "report": built,
        "headline": [total[k] for k in HEADLINE],
        "columns": [total[k] for k in REPORT_COLUMNS],
        "rows": [(row, [row.by_key[k] for k in REPORT_COLUMNS]) for row in built.rows],
        "views_chart": charts.line_chart_svg(_("Views"), built.views_series),
        "clicks_chart": charts.line_chart_svg(_("Clicks"), built.clicks_series, colour="#0a66c2"),
        "emv_rates": [(Platform(k).label, v) for k, v in report_module.EMV_CPM.items()],
        "emv_other": report_module.EMV_CPM_OTHER,
    }


@login_required
def campaign_report(request, pk: int):
    campaign, built = _report(request, pk)
    return render(request, "results/report.html", _context(request, campaign, built))


@login_required
def campaign_report_csv(request, pk: int):
    campaign, built = _report(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-report.csv"'
    writer = csv.writer(response)
    for row in report_module.csv_rows(built):
        writer.writerow([_csv_safe(c) for c in row])
    return response


def _csv_safe(cell: str) -> str:
    """No spreadsheet formula injection from a handle or promo code."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") and not _is_number(cell) else cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@login_required
def campaign_report_pdf(request, pk: int):
    campaign, built = _report(request, pk)
    try:
        from creators.pdf import render_pdf  # the media kit's PDF mechanism (WeasyPrint, local files only)
    except OSError:
        logger.exception("PDF export unavailable: WeasyPrint could not load its system libraries")
        messages.error(
            request,
            _("PDF export is not available on this server right now. Use your browser's Print → Save as PDF."),
        )
        return redirect("results:report", pk=campaign.pk)
    html = render_to_string("results/report_pdf.html", _context(request, campaign, built), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-report.pdf"'
    return response


@login_required
@require_POST
def webhook_secret_rotate(request):
    from brands.selectors import brand_for_user

    brand = brand_for_user(user=request.user)
    if brand is None:
        raise Http404
    services.webhook_secret_rotate(brand=brand, actor=request.user)
    messages.success(request, _("A new signing secret is in place; the old one no longer works."))
    return redirect("brands:edit")


# --- the signed webhook ----------------------------------------------------------------------------------------

WEBHOOK_MAX_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def conversion_webhook(request, token: str):
    body = request.body[: WEBHOOK_MAX_BYTES + 1]
    if len(body) > WEBHOOK_MAX_BYTES:
        return JsonResponse({"message": _("The event is over 64 KB.")}, status=413)
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"message": _("The body must be a JSON object.")}, status=400)
    try:
        message, status = services.webhook_apply(
            token=token, header=request.headers.get("X-Signature", ""), body=body, payload=payload
        )
    except services.ResultsError as exc:
        return JsonResponse({"message": str(exc)}, status=exc.status_code)
    return JsonResponse({"message": message}, status=status)
