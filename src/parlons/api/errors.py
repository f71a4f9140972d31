"""Errors are JSON with one stable shape: ``{"error": {"code": ..., "message": ...}}``."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parlons.core.tenancy import ScopeError


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(request, status: int, code: str, message, details=None):
        body = {"error": {"code": code, "message": str(message)}}
        if details is not None:
            body["error"]["details"] = details
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return reply(request, 404, "not_found", "Not found.")

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return reply(request, 422, "invalid", "The request is not valid.", exc.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return reply(request, 401, "unauthenticated", "Authentication required.")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return reply(request, exc.status_code, "error", exc.message)

    @api.exception_handler(ScopeError)
    def scope_error(request, exc):  # a programming error; never leak rows
        return reply(request, 500, "server_error", "Internal error.")
