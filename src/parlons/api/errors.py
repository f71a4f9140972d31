"""Errors are JSON with one stable shape: ``{"error": {"code", "message", "details"}}``.

``code`` is a short machine-readable word, ``message`` a sentence for people and
``details`` is null or says more (the invalid fields, for instance).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parlons.core.tenancy import ScopeError

CODES = {400: "bad_request", 401: "unauthenticated", 404: "not_found", 422: "invalid"}


def _model_details(exc: ModelValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(request, status: int, code: str, message, details=None):
        body = {"error": {"code": code, "message": str(message), "details": details}}
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return reply(request, 404, "not_found", "Not found.")

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return reply(request, 422, "invalid", "The request is not valid.", exc.errors)

    @api.exception_handler(ModelValidationError)
    def refused_by_the_model(request, exc):
        return reply(request, 422, "invalid", "The request is not valid.", _model_details(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return reply(request, 401, "unauthenticated", "Authentication required.")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return reply(request, exc.status_code, CODES.get(exc.status_code, "error"), exc.message)

    @api.exception_handler(ScopeError)
    def scope_error(request, exc):  # a programming error; never leak rows
        return reply(request, 500, "server_error", "Internal error.")


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses every operation can give to an OpenAPI document.

    404 everywhere (missing and forbidden look the same), 422 where there are
    parameters or a body, 400 where a body is parsed, 401 where a token is required.
    Module routers get this too, so they need not declare errors one by one.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(_error_components())
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            wanted = {"404": "Not found, or not visible to you."}
            if operation.get("parameters") or operation.get("requestBody"):
                wanted["422"] = "The request is not valid."
            if operation.get("requestBody"):
                wanted["400"] = "The body is not valid JSON."
            if operation.get("security"):
                wanted["401"] = "A valid API token is required."
            responses = operation.setdefault("responses", {})
            for status, description in wanted.items():
                responses.setdefault(status, {"description": description, **ref})
    return schema


def _error_components() -> dict[str, Any]:
    return {
        "ErrorDetail": {
            "title": "ErrorDetail",
            "type": "object",
            "properties": {
                "code": {"title": "Code", "type": "string"},
                "message": {"title": "Message", "type": "string"},
                "details": {"title": "Details"},
            },
            "required": ["code", "message", "details"],
        },
        "Error": {
            "title": "Error",
            "type": "object",
            "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}},
            "required": ["error"],
        },
    }
