from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import CreatorStartForm
from .selectors import creator_for_user
from .services import CreatorError, creator_create


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
            messages.success(request, _("Your creator profile is started. Next: link your social accounts."))
            return redirect("dashboard")
    return render(request, "creators/onboarding.html", {"form": form})
