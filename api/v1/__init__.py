"""Version 1 of the JSON API, mounted at /api/v1/ (schema at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja_extra import NinjaExtraAPI

from api.v1 import errors
from api.v1.animals import router as animals_router
from api.v1.auth import router as auth_router
from api.v1.cart import router as cart_router
from api.v1.orders import router as orders_router
from api.v1.payments import router as payments_router
from api.v1.security import bearer
from api.v1.throttling import AddressThrottle, UserThrottle
from api.v1.users import router as users_router

api = NinjaExtraAPI(
    title="Petshop API",
    version="1.0.0",
    description="Browse the catalogue, buy and pay, on the same rules as the shop's web pages.",
    urls_namespace="api-v1",
    auth=bearer,
    csrf=False,
    throttle=[AddressThrottle(), UserThrottle()],
)
errors.install(api)
api.add_router("", animals_router)
api.add_router("/auth", auth_router)
api.add_router("/users", users_router)
api.add_router("/carts", cart_router)
api.add_router("/orders", orders_router)
api.add_router("/payments", payments_router)
