"""Audience demographics of a linked account (issue 11): top countries, age brackets, gender split, in percent.

Where they come from (``DemographicsSource``): the platform, for an account whose owner connected it (Instagram
Graph API ``follower_demographics``, YouTube Analytics ``viewerPercentage``; read by the statistics pipeline,
``stats.demographics``); typed in by the creator (marked "self-reported" wherever shown); or the demo provider.

One rule for every source (``validate``): percentages 0–100, each group's total at most 100 (the rest is
"unknown" or "other countries"), countries as ISO 3166-1 alpha-2 codes that exist (pycountry), at most
``MAX_COUNTRIES`` of them. ``bars`` turns a stored breakdown into rows the media kit draws (server-side SVG with
the number written beside each bar, so the bars are decoration and the text is the information).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry
from django.utils.translation import gettext_lazy as _

AGE_BRACKETS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = {"female": _("Women"), "male": _("Men"), "other": _("Other")}
MAX_COUNTRIES = 5
PLACES = Decimal("0.1")


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or (country.name if country else code)


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda pair: pair[1])


def is_country(code: str) -> bool:
    return isinstance(code, str) and len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def _percent(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def validate(countries: Mapping, ages: Mapping, genders: Mapping) -> dict[str, list[str]]:
    """Errors per group ("countries", "ages", "genders"); empty when the values may be stored."""
    errors: dict[str, list[str]] = {}

    def check(group: str, values: Mapping, known) -> None:
        problems: list[str] = []
        total = Decimal(0)
        for key, value in values.items():
            if not known(key):
                problems.append(str(_("“%(key)s” is not a known %(what)s.") % {"key": key, "what": group_label[group]}))
                continue
            number = _percent(value)
            if number is None or not 0 <= number <= 100:
                problems.append(str(_("Each percentage is between 0 and 100.")))
                continue
            total += number
        if total > 100:
            problems.append(
                str(_("The percentages add up to %(total)s %%: at most 100 %%.") % {"total": f"{total.normalize():f}"})
            )
        if problems:
            errors[group] = list(dict.fromkeys(problems))

    group_label = {"countries": _("country code"), "ages": _("age bracket"), "genders": _("gender")}
    check("countries", countries, is_country)
    if len(countries) > MAX_COUNTRIES:
        errors.setdefault("countries", []).append(str(_("At most %(n)s countries.") % {"n": MAX_COUNTRIES}))
    check("ages", ages, lambda k: k in AGE_BRACKETS)
    check("genders", genders, lambda k: k in GENDERS)
    return errors


def shares_from_counts(counts: Mapping[str, int | float], *, top: int | None = None) -> dict[str, float]:
    """Platform counts (followers per country, …) as percentages of their total, one decimal, largest first."""
    total = sum(v for v in counts.values() if v and v > 0)
    if not total:
        return {}
    ordered = sorted(((k, v) for k, v in counts.items() if v and v > 0), key=lambda kv: (-kv[1], kv[0]))
    if top is not None:
        ordered = ordered[:top]
    # Rounded down, so rounding never pushes a total past 100.
    return {k: float((Decimal(v) * 100 / Decimal(total)).quantize(PLACES, rounding="ROUND_DOWN")) for k, v in ordered}


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float

    @property
    def shown(self) -> str:
        return f"{self.percent:.1f} %".replace(".0 %", " %")


def bars(countries: Mapping, ages: Mapping, genders: Mapping) -> list[tuple[str, str, list[Bar]]]:
    """(group, title, rows) for the media kit: countries largest first, ages in bracket order, genders in a fixed
    order; a group nobody knows anything about has no rows."""
    return [
        (
            "countries",
            str(_("Top countries")),
            [
                Bar(country_name(k), float(v))
                for k, v in sorted(countries.items(), key=lambda kv: (-float(kv[1]), kv[0]))
            ],
        ),
        ("ages", str(_("Age")), [Bar(k, float(ages[k])) for k in AGE_BRACKETS if k in ages]),
        (
            "genders",
            str(_("Gender")),
            [Bar(str(label), float(genders[k])) for k, label in GENDERS.items() if k in genders],
        ),
    ]
