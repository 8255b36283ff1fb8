"""The API's only request parser: JSON objects, with bounds on size, nesting and characters.

DRF's JSONParser reads the whole stream (Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not apply to
it), lets Python's recursive decoder run into RecursionError on deeply nested input, and passes
``\\u0000`` through to PostgreSQL, which refuses it: each of those was a 500. Every refusal here
is a ParseError, i.e. a 400 with a readable ``message`` (marketplace.api.errors).
"""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest body the API accepts is a brief: {"deliverables": [{"quantity": 1}]} is depth 3.
MAX_JSON_DEPTH = 8
MAX_JSON_BODY_BYTES = 256 * 1024


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def check_json_value(data, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise ParseError if ``data`` nests deeper than ``max_depth`` or holds a NUL character (iterative walk)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError("Text in the request cannot contain NUL (\\u0000) characters.")
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(f"The JSON body is nested too deeply (at most {max_depth} levels).")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    raise ParseError("Text in the request cannot contain NUL (\\u0000) characters.")
                stack.append((item, depth + 1))


class BoundedJSONParser(JSONParser):
    """A JSON object of at most MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH levels, no NUL characters."""

    max_bytes = MAX_JSON_BODY_BYTES

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise ParseError(f"The request body is too large: at most {self.max_bytes // 1024} KB of JSON.")
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(f"The request body is not valid {encoding} text.") from None
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except RecursionError:
            raise ParseError(f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).") from None
        except ValueError as exc:
            raise ParseError(f"The request body is not valid JSON: {exc}") from None
        check_json_value(data)
        if not isinstance(data, dict):
            raise ParseError('The request body must be a JSON object, e.g. {"field": "value"}.')
        return data
