"""Pages that belong to no single app: the landing page, the dashboard router, error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from brands.selectors import brand_for_user
from creators.selectors import creator_for_user


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each person to their next step: finish onboarding first, then their home."""
    user = request.user
    if user.is_creator:
        creator = creator_for_user(user=user)
        if creator is None:
            return redirect("creators:onboarding")
        return render(request, "marketplace/dashboard_creator.html", {"creator": creator})
    if user.is_brand:
        brand = brand_for_user(user=user)
        if brand is None:
            return redirect("brands:create")
        return render(request, "marketplace/dashboard_brand.html", {"brand": brand})
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "marketplace/dashboard_norole.html")


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):  # an id that is not a number, an unknown API path: the API's JSON shape
        return JsonResponse({"message": "Not found.", "errors": {}}, status=404)
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"message": "Server error: it has been logged; try again later.", "errors": {}}, status=500)
    # No context processors that could fail again: a plain template.
    return render(request, "500.html", status=500)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and docker compose: the database and the cache answer."""
    from django.core.cache import cache
    from django.db import connection
    from django.http import JsonResponse

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("healthz", "ok", 5)
    except Exception as exc:  # noqa: BLE001 — report, don't crash
        return JsonResponse({"status": "error", "error": exc.__class__.__name__}, status=503)
    return JsonResponse({"status": "ok"})
