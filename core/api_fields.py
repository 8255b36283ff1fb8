"""Serializer fields with the bounds DRF's own lack (every list the API accepts has a maximum length)."""

from __future__ import annotations

from rest_framework import serializers

# The largest id a path or a body may name: PostgreSQL's bigint holds 2**63 - 1; anything longer than
# 18 digits is no id of ours and must not reach the database (a 500 on overflow).
MAX_ID = 10**18 - 1
ID_PATH_REGEX = r"[0-9]{1,18}"


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """``many=True`` related field that refuses more than ``max_length`` items before any lookup."""

    default_error_messages = {"max_length": "Pick at most {max_length}."}

    def __init__(self, *args, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list | tuple):
            self.fail("not_a_list", input_type=type(data).__name__)
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


def bounded_slugs(queryset, *, max_length: int, message: str, **kwargs) -> BoundedManyRelatedField:
    """A list of slugs of ``queryset`` (e.g. niches), at most ``max_length`` of them."""
    return BoundedManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="slug", queryset=queryset),
        max_length=max_length,
        error_messages={"max_length": message},
        **kwargs,
    )


def object_id(**kwargs) -> serializers.IntegerField:
    """An id in a body or query: a whole number (``1.5`` and ``true`` are refused, not read as 1) within range."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)
