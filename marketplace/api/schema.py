"""The OpenAPI schema documents every error an operation can answer, with the one JSON shape of
marketplace.api.errors: ``{"message": "...", "errors": {field: [messages]}}``.

Which codes an operation lists:

- 400 every operation (invalid body or query parameters, or a refused domain move);
- 401 (with ``WWW-Authenticate: Token``) and 404 every operation that needs a signed-in user;
- 403 every operation (a capability the role does not have; a session call without CSRF token);
- 409 every write that needs a signed-in user (a move the object's state does not allow);
- 415 every operation with a request body (only ``application/json`` is parsed);
- 429 every operation (sign-in lockouts and limits; see ``Retry-After``).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What went wrong, in words a person understands.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field name → list of messages (nested by index or key for list and object fields); "
        "empty when the message says it all.",
    )

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: `message` says why, `errors` lists the fields.",
    "401": "Not signed in: send `Authorization: Token <key>` (POST /api/v1/auth/token/) or a session cookie. "
    "The response carries `WWW-Authenticate: Token`.",
    "403": "Signed in, but this role may not do this (or a session call without its CSRF token).",
    "404": "No such object, or not one this user may see (another tenant's object is a 404, never a 403).",
    "409": "The object's current state does not allow this move (e.g. accepting on a full campaign).",
    "415": "The body is not `application/json`.",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(SpectacularAutoSchema):
    def _error_codes(self) -> list[str]:
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = ["400", "403", "429"]
        if not public:
            codes += ["401", "404"]
            if self.method in WRITE_METHODS:
                codes.append("409")
        if self.method in WRITE_METHODS and self.get_request_serializer() is not None:
            codes.append("415")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            documented = responses.get(code, {})
            description = documented.get("description") or ERROR_DESCRIPTIONS[code]
            if "content" not in documented:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
                )
        return responses
