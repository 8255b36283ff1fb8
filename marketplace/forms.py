from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Role


class SignupForm(AllauthSignupForm):
    """allauth's sign-up plus the one question that routes everything after it: which side are you on?"""

    full_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("I am joining as"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you are a creator or a brand.")},
    )

    field_order = ["role", "full_name", "email", "password1", "password2"]
