"""The public API shell: ``/api/v1/`` with an OpenAPI document.

The kernel's routers are mounted here; each module adds its router through the registry
(``ModuleDeclaration.api_router``) under ``/api/v1/<module key>/``.
"""

from django.utils.module_loading import import_string
from ninja import NinjaAPI

from parlons.api.errors import install_error_handlers
from parlons.api.kernel import router as kernel_router
from parlons.core.registry import registry

api = NinjaAPI(
    title="Parlons API",
    version="1",
    description="Open data and organisers' writes for Parlons. Public objects are readable "
    "without authentication.",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", kernel_router)
for declaration in registry:
    if declaration.api_router:
        api.add_router(f"/{declaration.key}/", import_string(declaration.api_router))
