"""Receipt and statement pages and their PDF downloads (the media kit's one PDF mechanism: creators.pdf)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import documents

logger = logging.getLogger(__name__)


def _context(document) -> dict:
    return {"doc": document, "amounts": documents.lines(document), "app": document.funding.application}


@login_required
def document(request, number: str):
    doc = documents.document_for(user=request.user, number=number)  # 404 for anyone but its side
    return render(request, "payments/document.html", _context(doc))


@login_required
def document_pdf(request, number: str):
    doc = documents.document_for(user=request.user, number=number)
    try:
        from creators.pdf import render_pdf
    except OSError:
        logger.exception("PDF export unavailable: WeasyPrint could not load its system libraries")
        messages.error(
            request,
            _(
                "PDF export is not available on this server right now. "
                "Use your browser's Print → Save as PDF on this page instead."
            ),
        )
        return redirect("payments:document", number=doc.number)
    html = render_to_string("payments/document_pdf.html", _context(doc), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
