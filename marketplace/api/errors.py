"""JSON errors with a readable message and field errors, for every API failure (PRODUCT §8)."""

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django's 500 handling and logging see it
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            non_field = data.pop("non_field_errors", None)
            message = " ".join(str(m) for m in non_field) if non_field else "Some fields are not valid."
            body = {"message": message, "errors": data}
        else:
            body = {"message": " ".join(str(m) for m in data), "errors": {}}
        return Response(body, status=status.HTTP_400_BAD_REQUEST, headers=response.headers)
    if isinstance(exc, Http404 | exceptions.NotFound):
        body = {"message": "Not found.", "errors": {}}
    elif isinstance(exc, PermissionDenied):
        body = {"message": "You do not have permission to do this.", "errors": {}}
    else:
        detail = data.get("detail") if isinstance(data, dict) else data
        body = {"message": str(detail), "errors": {}}
    response.data = body
    return response
