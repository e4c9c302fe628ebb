"""The public booking page, the private status page and the manager's sticker.

* ``GET/POST /doorservice/book/<cabinet token>`` (no login): the form, then the
  confirmation. Checks, in order: too many bad links from the address (429), the
  cabinet token (404, counted against the address), the address's and the cabinet's
  booking rates (429), the same-origin form token (403), the fields (400), then the
  booking itself through the coordinator (409 when refused: phone cap, the
  compartments kept back, stock...).
* ``GET /doorservice/status/<order>/<token>`` (no login): the order live; its owner
  codes only (links.py, desk.py).
* ``GET /api/doorservice/sticker/<cabinet>.<svg|png>`` (administrators): a printable
  sticker of the cabinet's booking QR (sticker.py).
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
import time
from typing import Any

from aiohttp import web

from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from ..const import (
    CONF_BOOKING_TOKEN,
    CONF_OWNER_NOTIFY,
    DOMAIN,
    LOGGER,
    SubentryType,
)
from ..core.cabinet_desk import OWNER
from ..core.codes import CodePurpose
from ..core.orders import FINAL_STATES, Order, OrderState
from ..core.public_booking import PUBLIC_BOOKER
from ..runtime import SiteRuntime
from ..services.resolve import loaded_runtimes
from . import desk, links, page, sticker
from .limits import BookingLimits
from .texts import CHINESE, pick_language, text

DATA_BOOKING = f"{DOMAIN}_booking"

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


class BookingState:
    """What the public pages keep in memory: rate limits and owner codes."""

    def __init__(self) -> None:
        """Fresh limits, no codes."""
        self.limits = BookingLimits()
        self.codes = desk.OwnerCodes()


@callback
def async_setup_booking(hass: HomeAssistant) -> None:
    """Register the views once."""
    if DATA_BOOKING in hass.data:
        return
    state = hass.data[DATA_BOOKING] = BookingState()
    hass.http.register_view(BookingView(state))
    hass.http.register_view(StatusView(state))
    hass.http.register_view(StickerView())


def booking_state(hass: HomeAssistant) -> BookingState:
    """The pages' memory (limits, codes)."""
    state: BookingState = hass.data[DATA_BOOKING]
    return state


def _html(body: str, status: int = HTTPStatus.OK) -> web.Response:
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers=SECURITY_HEADERS,
    )


def _language(request: web.Request) -> str:
    return pick_language(request.headers.get("Accept-Language"))


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


def _local(moment: datetime | None) -> str:
    return dt_util.as_local(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def find_cabinet(
    hass: HomeAssistant, token: str
) -> tuple[SiteRuntime, ConfigSubentry] | None:
    """The site and cabinet whose booking page ``token`` opens (on only)."""
    found = None
    for runtime in loaded_runtimes(hass):
        for sub in links.booking_cabinets(runtime):
            if links.same_token(str(sub.data[CONF_BOOKING_TOKEN]), token):
                found = (runtime, sub)
    return found


async def _domain_error(hass: HomeAssistant, language: str, err: Exception) -> str:
    """A refusal of the domain in the page's language."""
    key = getattr(err, "translation_key", None)
    placeholders = getattr(err, "translation_placeholders", None) or {}
    if key:
        for lang in (language, "en"):
            strings = await async_get_translations(hass, lang, "exceptions", [DOMAIN])
            if template := strings.get(f"component.{DOMAIN}.exceptions.{key}.message"):
                try:
                    return str(template.format(**placeholders))
                except KeyError, IndexError, ValueError:
                    return str(template)
    return str(err)


class BookingView(HomeAssistantView):
    """The booking form of one cabinet (see the module docstring)."""

    url = links.BOOK_PATH + "/{token}"
    name = "doorservice:booking"
    requires_auth = False

    def __init__(self, state: BookingState) -> None:
        """Keep the shared limits and codes."""
        self._state = state

    def _lookup(
        self, request: web.Request, token: str
    ) -> tuple[SiteRuntime, ConfigSubentry] | web.Response:
        language = _language(request)
        client = _client(request)
        limits = self._state.limits
        if limits.bad_tokens.exceeded(client):
            return _html(
                page.message_page(language, "not_found_title", "error_rate_limited"),
                HTTPStatus.TOO_MANY_REQUESTS,
            )
        found = find_cabinet(request.app[KEY_HASS], token)
        if found is None:
            limits.bad_tokens.hit(client)
            return _html(
                page.message_page(language, "not_found_title", "not_found"),
                HTTPStatus.NOT_FOUND,
            )
        return found

    def _form(
        self,
        request: web.Request,
        runtime: SiteRuntime,
        cabinet: ConfigSubentry,
        **extra: Any,
    ) -> page.FormPage:
        language = _language(request)
        stock = runtime.site.stock.get(cabinet.subentry_id)
        values = extra.pop("values", None) or {
            "address": desk.prefilled_address(runtime, cabinet),
            "service_type": runtime.site.catalog.default_booking_type() or "",
        }
        return page.FormPage(
            language=language,
            site=runtime.name,
            cabinet=desk.cabinet_name(runtime, cabinet.subentry_id),
            action=request.path,
            form_token=links.form_token(runtime, cabinet.subentry_id, time.time()),
            service_types=[
                (t.id, t.name, desk.money(runtime, t.price))
                for t in desk.offered_types(runtime)
            ],
            supplies=[
                page.SupplyRow(
                    item.sku,
                    item.name,
                    desk.money(runtime, item.price),
                    max(stock.available(item.sku), 0) if stock else 0,
                )
                for item in runtime.site.supplies
            ],
            values=values,
            **extra,
        )

    async def get(self, request: web.Request, token: str) -> web.Response:
        """Show the form."""
        found = self._lookup(request, token)
        if isinstance(found, web.Response):
            return found
        runtime, cabinet = found
        return _html(page.form_page(self._form(request, runtime, cabinet)))

    async def post(self, request: web.Request, token: str) -> web.Response:
        """Check and book; show the confirmation or the form with what is wrong."""
        found = self._lookup(request, token)
        if isinstance(found, web.Response):
            return found
        runtime, cabinet = found
        hass = request.app[KEY_HASS]
        language = _language(request)
        limits = self._state.limits
        client = _client(request)
        posted = await request.post()
        values = {k: str(v) for k, v in posted.items() if isinstance(v, str)}

        def refused(status: int, banner: str, **extra: Any) -> web.Response:
            form = self._form(request, runtime, cabinet, values=values, **extra)
            form.banner = banner
            return _html(page.form_page(form), status)

        if limits.by_address.exceeded(client):
            return refused(
                HTTPStatus.TOO_MANY_REQUESTS, text(language, "error_rate_limited")
            )
        limits.by_address.hit(client)
        if limits.by_cabinet.exceeded(cabinet.subentry_id):
            return refused(
                HTTPStatus.TOO_MANY_REQUESTS, text(language, "error_cabinet_busy")
            )
        origin = request.headers.get("Origin")
        if (
            origin is not None
            and origin != "null"
            and origin.split("://", 1)[-1] != request.host
        ) or not links.form_token_valid(
            runtime, cabinet.subentry_id, values.get("form_token", "")
        ):
            return refused(HTTPStatus.FORBIDDEN, text(language, "error_form_expired"))
        booking, errors = desk.parse_form(
            runtime, cabinet.subentry_id, values, dt_util.utcnow()
        )
        if booking is None:
            return refused(
                HTTPStatus.BAD_REQUEST,
                text(language, "fix_errors"),
                errors={
                    name: text(language, key, **placeholders)
                    for name, (key, placeholders) in errors.items()
                },
            )
        try:
            outcome = await desk.async_book(runtime, cabinet, booking, limits)
        except ServiceValidationError as err:
            if err.translation_key == "public_phone_cap":
                banner = text(
                    language, "error_phone_cap", count=limits.phone_open_bookings
                )
            elif err.translation_key == "public_cabinet_full":
                banner = text(language, "error_cabinet_full")
            else:
                banner = text(
                    language,
                    "error_unavailable",
                    reason=await _domain_error(hass, language, err),
                )
            return refused(HTTPStatus.CONFLICT, banner)
        limits.by_cabinet.hit(cabinet.subentry_id)
        order = outcome.order
        self._state.codes.keep(runtime.entry.entry_id, outcome.deliveries)
        sent_to = await _async_notify_owner(hass, runtime, order, booking, language)
        dropoff = next(
            (
                d
                for d in outcome.deliveries
                if d.holder == OWNER and d.purpose is CodePurpose.DROPOFF
            ),
            None,
        )
        cabinet_label = desk.cabinet_name(runtime, cabinet.subentry_id)
        return _html(
            page.confirmation_page(
                language,
                order_id=order.id,
                when=_local(order.scheduled_start),
                cost=desk.money(runtime, desk.order_cost(runtime, order)),
                status_path=links.status_url(hass, runtime, order.id),
                dropoff=None
                if dropoff is None
                else page.CodeBlock(
                    title=text(language, "pin_title"),
                    how=text(
                        language,
                        "pin_how",
                        cabinet=cabinet_label,
                        compartment=dropoff.compartment,
                    ),
                    pin=dropoff.issued.pin,
                    token=dropoff.issued.token,
                    valid_until=_local(dropoff.issued.code.valid_until),
                    element_id="dropoff",
                ),
                sent_to=sent_to,
            )
        )


def _masked(phone: str) -> str:
    return "•••" + phone[-3:]


async def _async_notify_owner(
    hass: HomeAssistant,
    runtime: SiteRuntime,
    order: Order,
    booking: desk.BookingRequest,
    language: str,
) -> str | None:
    """Send the status link to the owner's notify action; the masked phone if sent."""
    target = str(runtime.entry.options.get(CONF_OWNER_NOTIFY) or "").strip()
    domain, _, service = target.partition(".")
    if not service or not hass.services.has_service(domain, service):
        return None
    message = text(
        language,
        "notify_message",
        site=runtime.name,
        order=order.id,
        link=links.status_url(hass, runtime, order.id),
    )
    try:
        await hass.services.async_call(
            domain,
            service,
            {"message": message, "target": [booking.phone]},
            blocking=True,
        )
    except Exception as err:
        LOGGER.warning("The owner's status link was not sent (%s)", type(err).__name__)
        return None
    return _masked(booking.phone)


STATE_KEYS = {
    OrderState.AWAITING_DROPOFF: "awaiting_dropoff",
    OrderState.QUEUED: "queued",
    OrderState.OFFERED: "offered",
    OrderState.ACCEPTED: "accepted",
    OrderState.IN_PROGRESS: "in_progress",
    OrderState.AWAITING_RETURN: "awaiting_return",
    OrderState.COMPLETED: "completed",
    OrderState.CLOSED: "closed",
    OrderState.CANCELLED: "cancelled",
}


class StatusView(HomeAssistantView):
    """An order's private status page (see the module docstring)."""

    url = links.STATUS_PATH + "/{order_id}/{token}"
    name = "doorservice:booking_status"
    requires_auth = False

    def __init__(self, state: BookingState) -> None:
        """Keep the shared limits and codes."""
        self._state = state

    async def get(
        self, request: web.Request, order_id: str, token: str
    ) -> web.Response:
        """Show the order live."""
        language = _language(request)
        client = _client(request)
        limits = self._state.limits
        not_found = _html(
            page.message_page(language, "not_found_title", "not_found"),
            HTTPStatus.NOT_FOUND,
        )
        if limits.bad_tokens.exceeded(client):
            return _html(
                page.message_page(language, "not_found_title", "error_rate_limited"),
                HTTPStatus.TOO_MANY_REQUESTS,
            )
        hass = request.app[KEY_HASS]
        runtime = next(
            (
                r
                for r in loaded_runtimes(hass)
                if links.same_token(links.status_token(r, order_id), token)
            ),
            None,
        )
        if runtime is None:
            limits.bad_tokens.hit(client)
            return not_found
        order = runtime.site.desk.find(order_id)
        if order is None:
            # Finished and gone from memory: the link was real, the visit is over.
            return _html(
                page.status_page(
                    page.StatusPage(
                        language, order_id, "-", "-", "finished", {}, [], final=True
                    )
                )
            )
        if order.booked_by != PUBLIC_BOOKER:
            return not_found
        return _html(page.status_page(await self._status(runtime, order, language)))

    async def _status(
        self, runtime: SiteRuntime, order: Order, language: str
    ) -> page.StatusPage:
        codes = self._state.codes
        name = desk.first_name(runtime, order.worker) or text(language, "anyone")
        values: dict[str, Any] = {"name": name, "cabinet": "", "compartment": ""}
        for cabinet_id, cab in runtime.site.cabinets.items():
            if compartments := cab.compartments_for(order.id):
                values["cabinet"] = desk.cabinet_name(runtime, cabinet_id)
                values["compartment"] = compartments[0].number
        state_key = STATE_KEYS[order.state]
        dropoff = collect = None
        if order.state is OrderState.AWAITING_DROPOFF and (
            kept := codes.active(runtime, order.id, CodePurpose.DROPOFF)
        ):
            dropoff = self._block(runtime, language, kept, "pin_title", "dropoff")
        if (back := desk.key_back_in(runtime, order)) is not None:
            state_key = "key_back"
            values["cabinet"] = desk.cabinet_name(runtime, back[0])
            values["compartment"] = back[1]
            if kept := await codes.async_collect_code(runtime, order):
                collect = self._block(
                    runtime, language, kept, "collect_title", "collect"
                )
        history: list[str] = []
        last = ""
        for entry in order.history:
            said = text(language, f"state_{STATE_KEYS[entry.state]}", name=name)
            if said != last:  # queued and offered read the same to the owner
                history.append(f"{_local(entry.at)} · {said}")
            last = said
        return page.StatusPage(
            language=language,
            order_id=order.id,
            when=_local(order.scheduled_start),
            cost=desk.money(runtime, desk.order_cost(runtime, order)),
            state_key=state_key,
            values=values,
            history=history,
            dropoff=dropoff,
            collect=collect,
            final=order.state in FINAL_STATES and back is None,
        )

    @staticmethod
    def _block(
        runtime: SiteRuntime,
        language: str,
        code: desk.OwnerCode,
        title_key: str,
        element_id: str,
    ) -> page.CodeBlock:
        cabinet = desk.cabinet_name(runtime, code.cabinet_id)
        how_key = (
            "pin_how"
            if code.purpose is CodePurpose.DROPOFF
            else ("state_key_back_hint")
        )
        return page.CodeBlock(
            title=text(language, title_key),
            how=text(language, how_key, cabinet=cabinet, compartment=code.compartment),
            pin=code.pin,
            token=code.token,
            valid_until=_local(code.valid_until),
            element_id=element_id,
        )


class StickerView(HomeAssistantView):
    """A printable sticker of a cabinet's booking QR (administrators only)."""

    url = links.STICKER_PATH + "/{cabinet_id}.{kind}"
    name = "doorservice:booking_sticker"
    requires_auth = True

    async def get(
        self, request: web.Request, cabinet_id: str, kind: str
    ) -> web.Response:
        """The sticker as SVG or PNG."""
        user = request[KEY_HASS_USER]
        if not user.is_admin:
            raise Unauthorized
        if kind not in ("svg", "png"):
            return web.Response(status=HTTPStatus.NOT_FOUND)
        hass = request.app[KEY_HASS]
        for runtime in loaded_runtimes(hass):
            for sub in runtime.subentries(SubentryType.CABINET):
                if sub.subentry_id != cabinet_id:
                    continue
                url = links.cabinet_booking_url(hass, sub)
                if url is None:
                    return web.Response(
                        status=HTTPStatus.CONFLICT,
                        text=text("en", "sticker_unavailable"),
                    )
                name = desk.cabinet_name(runtime, cabinet_id)
                body, content_type = (
                    (sticker.sticker_svg(name, url).encode(), "image/svg+xml")
                    if kind == "svg"
                    else (
                        await hass.async_add_executor_job(
                            sticker.sticker_png, name, url
                        ),
                        "image/png",
                    )
                )
                filename = f"booking-sticker-{sticker.slug(name)}.{kind}"
                return web.Response(
                    body=body,
                    content_type=content_type,
                    headers={
                        "Content-Disposition": f'attachment; filename="{filename}"',
                        "Cache-Control": "no-store",
                    },
                )
        return web.Response(status=HTTPStatus.NOT_FOUND)


__all__ = ["CHINESE", "async_setup_booking", "booking_state", "find_cabinet"]
