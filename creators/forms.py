import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.images import ValidatedImageField

from . import limits
from .filters import LANGUAGE_CHOICES
from .formats import format_problem
from .models import ContentFormat, Creator, Currency, Deliverable, Niche, Platform

COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
HANDLE_RE = re.compile(r"^@?[A-Za-z0-9._-]{1,100}$")


class CreatorStartForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = ["display_name", "handle", "country", "bio"]
        # Plain text: help text is rendered as HTML, so "<handle>" vanished as a tag ("/c//").
        help_texts = {"handle": _("Lowercase letters, digits and dashes; your media kit lives at /c/your-handle/.")}

    def clean_handle(self):
        handle = self.cleaned_data["handle"].lower()
        if Creator.objects.filter(handle__iexact=handle).exists():
            raise forms.ValidationError(_("That handle is taken. Try another."))
        return handle

    def clean_country(self):
        return self.cleaned_data["country"].upper()


class CreatorProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    bio = forms.CharField(
        label=_("Bio"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are, who follows you and what you make. 80 characters or more."),
    )
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("Two-letter code, e.g. GB, US, DE.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you create in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    niches = forms.ModelMultipleChoiceField(
        label=_("Niches"), queryset=Niche.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    content_formats = forms.MultipleChoiceField(
        label=_("Content formats"), choices=ContentFormat.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    avatar = ValidatedImageField(label=_("Profile photo"), required=False)

    def clean_country(self):
        country = self.cleaned_data["country"].strip()
        if country and not COUNTRY_RE.match(country):
            raise forms.ValidationError(_("Use the two-letter country code, e.g. GB."))
        return country.upper()

    def clean_niches(self):
        niches = self.cleaned_data["niches"]
        if len(niches) > limits.MAX_PROFILE_NICHES:
            raise forms.ValidationError(
                _("Pick up to %(n)s niches: brands search by your main topics.") % {"n": limits.MAX_PROFILE_NICHES}
            )
        return niches

    @classmethod
    def initial_for(cls, creator: Creator) -> dict:
        return {
            "display_name": creator.display_name,
            "bio": creator.bio,
            "country": creator.country,
            "languages": creator.languages,
            "niches": list(creator.niches.all()),
            "content_formats": creator.content_formats,
        }


class SocialAccountForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    handle = forms.CharField(
        label=_("Handle"),
        max_length=101,
        help_text=_("Your @name on that platform. The numbers arrive from the platform."),
    )

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip()
        if not HANDLE_RE.match(handle):
            raise forms.ValidationError(_("Use the handle as it appears on the platform: letters, digits, . _ -"))
        return handle.lstrip("@")


class RateCardForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    deliverable = forms.ChoiceField(label=_("Deliverable"), choices=Deliverable.choices)
    price = forms.DecimalField(label=_("Price"), min_value=1, max_value=10_000_000, decimal_places=2, max_digits=10)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.USD)
    note = forms.CharField(
        label=_("Note"), max_length=140, required=False, help_text=_("Optional, e.g. includes 30 days of usage rights.")
    )

    def clean(self):
        data = super().clean()
        problem = format_problem(
            data.get("platform", ""), data.get("deliverable", ""), labels=dict(Deliverable.choices)
        )
        if problem:
            self.add_error("deliverable", problem)
        return data


class PortfolioForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, help_text=_("A post, video or article you made."))
    image = ValidatedImageField(label=_("Image"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("image") and not self.errors.get("image"):
            raise forms.ValidationError(_("Add an image, a link, or both."))
        return data


class DemographicsForm(forms.Form):
    """A creator's own figures for one account's audience (issue 11), shown marked "self-reported".

    Up to five countries with their share, the age brackets and the gender split, in percent; a blank box means
    "unknown". The rules are the same for every source (creators.demographics.validate)."""

    def __init__(self, *args, **kwargs):
        from .demographics import AGE_BRACKETS, GENDERS, MAX_COUNTRIES, country_choices

        super().__init__(*args, **kwargs)
        choices = [("", _("— country —")), *country_choices()]
        self.country_rows = []
        for i in range(1, MAX_COUNTRIES + 1):
            self.fields[f"country_{i}"] = forms.ChoiceField(
                label=_("Country %(n)s") % {"n": i}, choices=choices, required=False
            )
            self.fields[f"country_{i}_share"] = self._percent_field(_("Share of country %(n)s (%%)") % {"n": i})
            self.country_rows.append((self[f"country_{i}"], self[f"country_{i}_share"]))
        self.age_fields = []
        for i, bracket in enumerate(AGE_BRACKETS):
            self.fields[f"age_{i}"] = self._percent_field(_("%(bracket)s years (%%)") % {"bracket": bracket})
            self.age_fields.append(self[f"age_{i}"])
        self.gender_fields = []
        for key, label in GENDERS.items():
            self.fields[f"gender_{key}"] = self._percent_field(_("%(label)s (%%)") % {"label": label})
            self.gender_fields.append(self[f"gender_{key}"])

    @staticmethod
    def _percent_field(label) -> forms.DecimalField:
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=0,
            max_value=100,
            max_digits=4,
            decimal_places=1,
            widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100", "inputmode": "decimal"}),
        )

    @classmethod
    def initial_for(cls, demographics) -> dict:
        from .demographics import AGE_BRACKETS

        if demographics is None:
            return {}
        initial = {}
        ordered = sorted(demographics.countries.items(), key=lambda kv: -float(kv[1]))
        for i, (code, share) in enumerate(ordered, start=1):
            initial[f"country_{i}"], initial[f"country_{i}_share"] = code, share
        for i, bracket in enumerate(AGE_BRACKETS):
            if bracket in demographics.ages:
                initial[f"age_{i}"] = demographics.ages[bracket]
        for key, value in demographics.genders.items():
            initial[f"gender_{key}"] = value
        return initial

    def clean(self):
        from .demographics import AGE_BRACKETS, GENDERS, validate

        data = super().clean()
        countries: dict[str, float] = {}
        for i in range(1, len(self.country_rows) + 1):
            code, share = data.get(f"country_{i}"), data.get(f"country_{i}_share")
            if code and share is None:
                self.add_error(f"country_{i}_share", _("Give this country's share."))
            elif share is not None and not code:
                self.add_error(f"country_{i}", _("Choose the country this share belongs to."))
            elif code in countries:
                self.add_error(f"country_{i}", _("This country is listed already."))
            elif code:
                countries[code] = float(share)
        ages = {b: float(data[f"age_{i}"]) for i, b in enumerate(AGE_BRACKETS) if data.get(f"age_{i}") is not None}
        genders = {k: float(data[f"gender_{k}"]) for k in GENDERS if data.get(f"gender_{k}") is not None}
        group_label = {"countries": _("Countries"), "ages": _("Age brackets"), "genders": _("Gender split")}
        for group, messages in validate(countries, ages, genders).items():
            for message in messages:
                self.add_error(None, f"{group_label[group]}: {message}")
        self.values = {"countries": countries, "ages": ages, "genders": genders}
        return data
