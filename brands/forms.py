from django import forms

from .models import Brand


class BrandCreateForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = ["name", "website", "industry", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.images import ValidatedImageField  # noqa: E402


class BrandProfileForm(forms.ModelForm):
    logo_upload = ValidatedImageField(label=_("Logo"), required=False)

    class Meta:
        model = Brand
        fields = ["name", "website", "industry", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class TeamInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email of your teammate"))
