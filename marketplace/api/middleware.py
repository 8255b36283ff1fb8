"""Query-string checks for every API request, before any view or filter reads a parameter.

PostgreSQL refuses text with a NUL character, so ``?status=%00`` reaching a filter was a 500;
an over-long value is refused before it reaches a search. Pages are not affected (forms refuse NUL).
"""

from __future__ import annotations

from django.http import JsonResponse

API_PREFIX = "/api/"
MAX_QUERY_VALUE_LENGTH = 1000


def query_problems(query) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for key, values in query.lists():
        if "\x00" in key:
            return {"non_field_errors": ["A query parameter name cannot contain NUL (%00) characters."]}
        for value in values:
            if "\x00" in value:
                problems[key] = ["This parameter cannot contain NUL (%00) characters."]
            elif len(value) > MAX_QUERY_VALUE_LENGTH:
                problems[key] = [f"Use at most {MAX_QUERY_VALUE_LENGTH} characters."]
    return problems


class APIQueryGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            problems = query_problems(request.GET)
            if problems:
                message = " ".join(problems.pop("non_field_errors", [])) or "Some query parameters are not valid."
                return JsonResponse({"message": message, "errors": problems}, status=400)
        return self.get_response(request)
