"""The kinds of e-mail the shop sends, each declared once next to its app (in that app's emails.py).

    @notification_kind("order-ready", template="orders/email/order_ready")
    def order_ready(*, order_id):
        order = Order.objects.get(pk=order_id)
        return {"subject": f"order {order.reference} is ready", "order": order}

The function turns the plain values given to notification_queue() into the templates' context; it returns the
subject under "subject". The templates are `<template>.txt` and `<template>.html` (the HTML one is optional).

A kind with files to attach names a second function, `attachments=`, that takes the same plain values and returns
a list of Attachment. The outbox keeps those values on the row and calls it when the e-mail is SENT (every
attempt), so a file shows the state of things at sending time and the row never stores the file itself.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Kind:
    name: str
    template: str
    build: Callable[..., dict]
    html: bool = True
    sensitive: bool = False  # the body holds a secret (a sign-in link): hidden in the admin, never resent
    attachments: Callable[..., list[Attachment]] | None = None  # called at send time with the queued context


KINDS: dict[str, Kind] = {}


def notification_kind(
    name: str,
    *,
    template: str,
    html: bool = True,
    sensitive: bool = False,
    attachments: Callable[..., list[Attachment]] | None = None,
):
    def register(build):
        KINDS[name] = Kind(
            name=name, template=template, build=build, html=html, sensitive=sensitive, attachments=attachments
        )
        return build

    return register


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"Unknown notification kind {name!r}; declare it with @notification_kind.") from None
