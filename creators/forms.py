from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Creator


class CreatorStartForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = ["display_name", "handle", "country", "bio"]
        help_texts = {"handle": _("Lowercase letters, digits and dashes; your media kit lives at /c/<handle>/.")}

    def clean_handle(self):
        handle = self.cleaned_data["handle"].lower()
        if Creator.objects.filter(handle__iexact=handle).exists():
            raise forms.ValidationError(_("That handle is taken. Try another."))
        return handle

    def clean_country(self):
        return self.cleaned_data["country"].upper()
