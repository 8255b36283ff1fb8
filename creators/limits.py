"""Bounds on the list inputs of a creator profile, shared by the profile form and the API."""

from __future__ import annotations

from .models import ContentFormat

MAX_PROFILE_NICHES = 5
MAX_PROFILE_LANGUAGES = 12
MAX_PROFILE_CONTENT_FORMATS = len(ContentFormat.choices)
