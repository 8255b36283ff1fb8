"""allauth hooks: store the role chosen at sign-up and send each side to its next step."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = form.cleaned_data.get("role", "")
        user.full_name = form.cleaned_data.get("full_name", "")
        if commit:
            user.save()
        return user

    def get_signup_redirect_url(self, request):
        return reverse("dashboard")

    def get_login_redirect_url(self, request):
        return reverse("dashboard")
