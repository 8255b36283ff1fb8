from django import forms
from django.utils.translation import gettext_lazy as _

from .services import CSV_MAX_BYTES, PROMO_MAX


class PromoCodeForm(forms.Form):
    promo_code = forms.CharField(
        label=_("Promo code"),
        max_length=PROMO_MAX,
        required=False,
        help_text=_("Letters, digits, - and _; unique in this campaign. Empty: no code."),
    )


class ConversionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV, at most 1 MB and 5,000 orders."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is over 1 MB; split it into smaller files."))
        return upload
