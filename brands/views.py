from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import BrandCreateForm
from .selectors import brand_for_user
from .services import BrandError, brand_create


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
            messages.success(request, _("Your brand is created. An admin will review it before you can publish campaigns."))
            return redirect("dashboard")
    return render(request, "brands/create.html", {"form": form})
