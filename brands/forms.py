from django import forms

from .models import Brand


class BrandCreateForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = ["name", "website", "industry", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
