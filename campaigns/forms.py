from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creators.models import Niche, Platform
from creators.tiers import Tier

from . import limits
from .models import Campaign, CompensationType, ContentFormat
from .services import BRIEF_FIELDS, brief_problems


class CodeListField(forms.CharField):
    """A comma-separated list of short codes (countries GB, US; languages en, es), stored as a list."""

    def __init__(self, *, code_length: int | None = None, **kwargs):
        self.code_length = code_length
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        raw = super().to_python(value) or ""
        codes = [c.strip() for c in raw.replace(";", ",").split(",") if c.strip()]
        return codes

    def validate(self, value):
        super().validate(value)
        for code in value:
            if not code.isalpha() or (self.code_length and len(code) != self.code_length) or len(code) > 8:
                raise forms.ValidationError(_("“%(c)s” is not a code like the examples.") % {"c": code})


class DateInput(forms.DateInput):
    input_type = "date"


class CampaignForm(forms.ModelForm):
    platforms = forms.MultipleChoiceField(
        label=_("Platforms"), choices=Platform.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_tiers = forms.MultipleChoiceField(
        label=_("Target tiers"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to welcome every tier."),
    )
    niches = forms.ModelMultipleChoiceField(
        label=_("Niches"), queryset=Niche.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = CodeListField(
        label=_("Creator countries"),
        required=False,
        code_length=2,
        help_text=_("Two-letter codes separated by commas, e.g. GB, IE. Empty: anywhere."),
    )
    languages = CodeListField(
        label=_("Content languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, es. Empty: any."),
    )

    SECTIONS = [
        (_("The brief"), ["title", "product_description", "goal", "landing_url"]),
        (
            _("Who you are looking for"),
            ["niches", "platforms", "target_tiers", "min_followers", "min_engagement_rate", "countries", "languages"],
        ),
        (
            _("Compensation and slots"),
            [
                "compensation_type",
                "fee_per_creator",
                "gifted_product",
                "gifted_value",
                "commission_percent",
                "slots",
                "total_budget",
            ],
        ),
        (_("Dates"), ["application_deadline", "content_due_date"]),
        (_("Usage rights and guidelines"), ["usage_rights", "usage_duration_months", "dos", "donts"]),
    ]

    class Meta:
        model = Campaign
        fields = list(BRIEF_FIELDS) + ["niches"]
        widgets = {
            "product_description": forms.Textarea(attrs={"rows": 4}),
            "dos": forms.Textarea(attrs={"rows": 3}),
            "donts": forms.Textarea(attrs={"rows": 3}),
            "application_deadline": DateInput(),
            "content_due_date": DateInput(),
            "goal": forms.RadioSelect,
            "usage_rights": forms.RadioSelect,
        }
        help_texts = {
            "product_description": _("What creators will show: the product, what makes it special, links."),
            "total_budget": _("Must cover every slot's fee."),
            "usage_duration_months": _("Required for paid ads."),
        }

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self):
        data = super().clean()
        old_deadline = self.instance.application_deadline if self.instance.pk else None
        problems = brief_problems(data, check_dates=data.get("application_deadline") != old_deadline)
        for field, message in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def brief_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in BRIEF_FIELDS}


class DeliverableSpecForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ContentFormat.choices)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=limits.MAX_DELIVERABLE_QUANTITY, initial=1
    )

    def clean(self):
        data = super().clean()
        problem = limits.spec_format_problem(data.get("platform", ""), data.get("format", ""))
        if problem:
            self.add_error("format", problem)
        return data


DeliverableSpecFormSet = forms.formset_factory(
    DeliverableSpecForm,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
    max_num=limits.MAX_DELIVERABLE_ROWS,
    validate_max=True,
)


class ApplyForm(forms.Form):
    pitch = forms.CharField(
        label=_("Your pitch"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why you and your audience fit this brief; your idea for the content."),
    )
    proposed_rate = forms.DecimalField(
        label=_("Your rate"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("What you ask for the whole brief."),
    )
    sample_links = forms.CharField(
        label=_("Sample links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to five links to past work, one per line."),
    )

    def clean_sample_links(self):
        links = [line.strip() for line in self.cleaned_data["sample_links"].splitlines() if line.strip()]
        if len(links) > 5:
            raise forms.ValidationError(_("Add at most five sample links."))
        validator = forms.URLField()
        return [validator.clean(link) for link in links]


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the creator (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DraftFileField(forms.FileField):
    """A draft file checked by the one upload policy (core.uploads.check_draft): type from the content."""

    def __init__(self, **kwargs):
        from core.uploads import human_bytes, max_bytes

        kwargs.setdefault(
            "help_text",
            _(
                "An image (JPEG, PNG, WebP, up to %(image)s), a video (MP4, MOV, WebM, up to %(video)s) "
                "or a PDF (up to %(pdf)s)."
            )
            % {
                "image": human_bytes(max_bytes("draft_image")),
                "video": human_bytes(max_bytes("video")),
                "pdf": human_bytes(max_bytes("pdf")),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault(
            "accept",
            "image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm,video/x-matroska,application/pdf",
        )

    def to_python(self, data):
        from core.uploads import check_draft

        f = super().to_python(data)
        if f is not None:
            check_draft(f)
        return f


class SubmissionForm(forms.Form):
    file = DraftFileField(label=_("Upload the draft"), required=False)
    link = forms.URLField(label=_("…or a link to it"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Note for the brand"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("link") and not self.errors:
            raise forms.ValidationError(_("Upload the draft or paste a link to it."))
        return data

    def focus_first_error(self) -> None:
        """Autofocus the first refused field (the file when the whole form was refused), so the browser
        scrolls to it and its error, which Django renders right above it."""
        name = next((n for n in self.fields if n in self.errors), "file")
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[name].widget.attrs["autofocus"] = True


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LiveForm(forms.Form):
    live_url = forms.URLField(label=_("Public URL of the post"), assume_scheme="https")


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    handle = forms.SlugField(label=_("Creator handle"), help_text=_("The @handle from the creator's profile."))


class BrowseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    niche = forms.ChoiceField(label=_("Niche"), required=False)
    platform = forms.ChoiceField(label=_("Platform"), required=False, choices=[("", _("Any"))] + Platform.choices)
    compensation = forms.ChoiceField(
        label=_("Compensation"), required=False, choices=[("", _("Any"))] + CompensationType.choices
    )
    fee_min = forms.DecimalField(label=_("Fee from"), required=False, min_value=0)
    fee_max = forms.DecimalField(label=_("Fee up to"), required=False, min_value=0)
    deadline_before = forms.DateField(label=_("Deadline by"), required=False, widget=DateInput())

    def __init__(self, *args, niches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["niche"].choices = [("", _("Any"))] + [(n.slug, n.name) for n in niches]


class ReferenceImageForm(forms.Form):
    from core.images import ValidatedImageField

    image = ValidatedImageField(label=_("Add a reference image"))


STARS = [(n, f"{n} / 5") for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    """One side's review of an ended application (services.review_create checks the rest)."""

    overall = forms.TypedChoiceField(label=_("Overall"), choices=STARS, coerce=int)
    communication = forms.TypedChoiceField(label=_("Communication"), choices=STARS, coerce=int)
    quality = forms.TypedChoiceField(label=_("Quality of the work"), choices=STARS, coerce=int)
    timeliness = forms.TypedChoiceField(label=_("Timeliness"), choices=STARS, coerce=int)
    text = forms.CharField(label=_("Your review"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, side: str = "brand", **kwargs):
        super().__init__(*args, **kwargs)
        if side == "creator":
            self.fields["quality"].label = _("Clarity of the brief")


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Your public reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
