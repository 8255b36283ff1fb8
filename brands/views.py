from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import onboarding

from . import permissions, settings_sections
from .forms import BrandCreateForm, BrandProfileForm, TeamInviteForm
from .models import BrandInvitation, BrandMember
from .selectors import brand_for_user
from .services import BrandError, brand_create, brand_invitation_accept, brand_invite, brand_member_remove, brand_update


@login_required
def create(request):
    """First step after a brand user signs up: the company."""
    if not request.user.is_brand:
        raise Http404
    if brand_for_user(user=request.user) is not None:
        return redirect("dashboard")
    form = BrandCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            brand_create(user=request.user, **form.cleaned_data)
        except BrandError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Your brand is created. An admin will review it before you can publish "
                    "campaigns; meanwhile, draft your first one."
                ),
            )
            return redirect("campaigns:create")
    invitations = list(
        BrandInvitation.objects.filter(email__iexact=request.user.email, accepted_at__isnull=True).select_related(
            "brand"
        )
    )
    return render(
        request,
        "brands/create.html",
        {
            "form": form,
            "invitations": invitations,
            "onboarding": onboarding.brand_progress(has_brand=False, campaigns=0, current="brand"),
        },
    )


def _my_brand(request):
    brand = brand_for_user(user=request.user)
    if brand is None:
        raise Http404
    return brand


@login_required
def edit(request):
    brand = _my_brand(request)
    form = BrandProfileForm(request.POST or None, request.FILES or None, instance=brand)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "website", "industry", "description")}
        try:
            brand_update(brand=brand, actor=request.user, logo=form.cleaned_data.get("logo_upload"), **data)
        except (BrandError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Your brand profile is saved."))
            return redirect("brands:edit")
    if request.method == "POST":
        brand.refresh_from_db()  # the form mutated the instance; show the saved logo and name in the header
    return render(
        request,
        "brands/edit.html",
        {"brand": brand, "form": form, "sections": settings_sections.sections(request, brand)},
    )


@login_required
def team(request):
    brand = _my_brand(request)
    owner = permissions.can_manage_team(request.user, brand)
    form = TeamInviteForm(request.POST or None)
    if request.method == "POST":
        if not owner:
            raise Http404
        if form.is_valid():
            try:
                brand_invite(brand=brand, actor=request.user, email=form.cleaned_data["email"])
            except BrandError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, _("Invitation sent to %(e)s.") % {"e": form.cleaned_data["email"]})
                return redirect("brands:team")
    members = list(BrandMember.objects.filter(brand=brand).select_related("user").order_by("role", "joined_at"))
    pending = list(BrandInvitation.objects.filter(brand=brand, accepted_at__isnull=True))
    return render(
        request,
        "brands/team.html",
        {"brand": brand, "members": members, "pending": pending, "form": form, "is_owner": owner},
    )


@login_required
@require_POST
def remove_member(request, pk: int):
    brand = _my_brand(request)
    member = BrandMember.objects.filter(brand=brand, pk=pk).select_related("brand").first()
    if member is None:
        raise Http404
    try:
        brand_member_remove(member=member, actor=request.user)
    except BrandError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed from the team."))
    return redirect("brands:team")


def join(request, token: str):
    invitation = BrandInvitation.objects.select_related("brand").filter(token=token).first()
    if invitation is None:
        raise Http404
    if request.method == "POST" and request.user.is_authenticated:
        try:
            brand_invitation_accept(token=token, user=request.user)
        except BrandError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Welcome to %(b)s's team.") % {"b": invitation.brand.name})
            return redirect("dashboard")
    return render(request, "brands/join.html", {"invitation": invitation})
