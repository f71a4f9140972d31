"""The public API shell: ``/api/v1/`` with an OpenAPI document.

The kernel's routers are mounted here; each module adds its router through the registry
(``ModuleDeclaration.api_router``) under ``/api/v1/<module key>/``.
"""

from django.utils.module_loading import import_string
from ninja import NinjaAPI

from parlons.api import writes
from parlons.api.errors import document_errors, install_error_handlers
from parlons.core.registry import registry


class ParlonsAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also lists the error responses (see errors.py)."""

    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = ParlonsAPI(
    title="Parlons API",
    version="1",
    description="Open data and organisers' writes for Parlons. Public objects are readable "
    "without authentication; organisers write with a personal API token "
    "(`Authorization: Bearer …`), created on their account page.",
    urls_namespace="api",
)
install_error_handlers(api)
# The kernel router: reads (kernel.py) and organisers' writes (writes.py) on one router,
# since ninja serves each path of a router from one URL pattern.
api.add_router("", writes.router)
for declaration in registry:
    if declaration.api_router:
        api.add_router(f"/{declaration.key}/", import_string(declaration.api_router))
