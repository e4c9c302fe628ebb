"""HTML of the public pages: mobile first, inline CSS, no script, nothing external.

Every value is escaped here; the views pass plain data. QR codes are inline SVG made
by segno.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

import segno

from .texts import text

CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;background:#f3f5f7;color:#1c2430}
main{max-width:34rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
.card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 1rem;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}
input,select,textarea{width:100%;font:inherit;padding:.65rem .7rem;
border:1px solid #b8c2cc;border-radius:8px;background:#fff}
textarea{min-height:5rem}
input[type=checkbox]{width:1.3rem;height:1.3rem;vertical-align:middle;
margin:0 .5rem 0 0}
.check{display:flex;align-items:center;font-weight:600;margin:1rem 0 .2rem}
.hint{color:#5b6673;font-size:.9rem;margin:.2rem 0 0}
.error{color:#b3261e;font-size:.95rem;margin:.3rem 0 0}
.banner{background:#fde7e6;color:#8c1d18;border-radius:8px;padding:.75rem;
margin:0 0 1rem}
.supply{display:flex;gap:.75rem;align-items:center;justify-content:space-between;
padding:.5rem 0;border-top:1px solid #eef1f4}
.supply input{width:4.5rem;text-align:center}
.supply .name{flex:1}
button{width:100%;font:inherit;font-weight:700;padding:.85rem;border:0;border-radius:10px;
background:#0b6bcb;color:#fff;margin-top:1.25rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:0}
dt{color:#5b6673}dd{margin:0;font-weight:600}
.code{font:700 2.2rem/1.1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.2em;
text-align:center;margin:.5rem 0}
.qr{display:flex;justify-content:center}.qr svg{width:12rem;height:12rem}
.state{font-size:1.35rem;font-weight:700;margin:.2rem 0}
ol{padding-left:1.2rem;margin:.3rem 0}li{margin:.15rem 0;color:#3c4754}
a{color:#0b6bcb;word-break:break-all}
"""


def page(language: str, title: str, body: str, *, refresh: int | None = None) -> str:
    """A whole page."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    return (
        "<!DOCTYPE html>"
        f'<html lang="{escape(text(language, "html_lang"))}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow">'
        '<meta name="referrer" content="no-referrer">'
        f"{meta}<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def qr_svg(payload: str) -> str:
    """An inline SVG of the QR code of ``payload``."""
    return str(
        segno.make(payload, error="m", micro=False).svg_inline(
            scale=4, border=2, omitsize=True
        )
    )


def message_page(language: str, title_key: str, message_key: str) -> str:
    """A page with one message (not found, refused)."""
    title = text(language, title_key)
    return page(
        language,
        title,
        f'<h1>{escape(title)}</h1><div class="card">'
        f"<p>{escape(text(language, message_key))}</p></div>",
    )


@dataclass
class SupplyRow:
    """One supply of the cabinet on the form."""

    sku: str
    name: str
    price: str
    available: int


@dataclass
class FormPage:
    """What the booking form shows."""

    language: str
    site: str
    cabinet: str
    action: str
    form_token: str
    service_types: list[tuple[str, str, str]]  # id, name, price
    supplies: list[SupplyRow]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    banner: str | None = None


def _error(form: FormPage, name: str) -> str:
    if name not in form.errors:
        return ""
    return f'<p class="error" id="error-{escape(name)}">{escape(form.errors[name])}</p>'


def _input(form: FormPage, name: str, kind: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<label for="{name}">{escape(text(form.language, name))}</label>'
        f'<input id="{name}" name="{name}" type="{kind}"'
        f' value="{escape(form.values.get(name, ""))}"{extra}>' + _error(form, name)
    )


def form_page(form: FormPage) -> str:
    """The booking form."""
    lang = form.language
    title = text(lang, "book_title")
    parts = [f"<h1>{escape(title)}</h1>"]
    parts.append(
        '<p class="hint">'
        + escape(text(lang, "book_intro", site=form.site, cabinet=form.cabinet))
        + "</p>"
    )
    if form.banner:
        parts.append(f'<div class="banner" id="banner">{escape(form.banner)}</div>')
    parts.append(
        f'<form method="post" action="{escape(form.action)}" class="card" novalidate>'
        f'<input type="hidden" name="form_token" value="{escape(form.form_token)}">'
    )
    parts.append(_input(form, "address", "text", autocomplete="street-address"))
    parts.append(_input(form, "start", "datetime-local"))
    chosen = form.values.get("service_type", "")
    options = "".join(
        f'<option value="{escape(sid)}"{" selected" if sid == chosen else ""}>'
        f"{escape(name)} · {escape(price)}</option>"
        for sid, name, price in form.service_types
    )
    parts.append(
        f'<label for="service_type">{escape(text(lang, "service_type"))}</label>'
        f'<select id="service_type" name="service_type">{options}</select>'
        + _error(form, "service_type")
    )
    parts.append(
        _input(form, "phone", "tel", autocomplete="tel", inputmode="tel")
        + f'<p class="hint">{escape(text(lang, "phone_hint"))}</p>'
    )
    parts.append(
        f'<label for="message">{escape(text(lang, "message"))}</label>'
        f'<textarea id="message" name="message" maxlength="500">'
        f"{escape(form.values.get('message', ''))}</textarea>" + _error(form, "message")
    )
    checked = " checked" if form.values.get("store_key") in ("1", "on") else ""
    parts.append(
        f'<label class="check"><input type="checkbox" id="store_key" name="store_key"'
        f' value="1"{checked}>{escape(text(lang, "store_key"))}</label>'
        f'<p class="hint">{escape(text(lang, "store_key_hint"))}</p>'
    )
    if form.supplies:
        parts.append(f"<h2>{escape(text(lang, 'supplies'))}</h2>")
        for row in form.supplies:
            name = f"supply_{row.sku}"
            stock = (
                text(lang, "in_stock", count=row.available)
                if row.available
                else text(lang, "out_of_stock")
            )
            disabled = "" if row.available else " disabled"
            parts.append(
                f'<div class="supply"><span class="name"><label for="{escape(name)}"'
                f' style="margin:0">{escape(row.name)}</label>'
                f'<span class="hint">{escape(row.price)} · {escape(stock)}</span>'
                f"</span>"
                f'<input id="{escape(name)}" name="{escape(name)}" type="number"'
                f' min="0" max="{row.available}" inputmode="numeric"'
                f' value="{escape(form.values.get(name, "0"))}"{disabled}></div>'
                + _error(form, name)
            )
    parts.append(
        f'<button type="submit" id="submit">{escape(text(lang, "submit"))}</button>'
        "</form>"
    )
    return page(lang, title, "".join(parts))


@dataclass
class CodeBlock:
    """A code on a page: the PIN, its QR token and words around it."""

    title: str
    how: str
    pin: str
    token: str
    valid_until: str
    element_id: str


def _code_block(language: str, code: CodeBlock) -> str:
    return (
        f'<div class="card" id="{code.element_id}"><h2>{escape(code.title)}</h2>'
        f'<p class="code" id="{code.element_id}-pin">{escape(code.pin)}</p>'
        f'<div class="qr">{qr_svg(code.token)}</div>'
        f"<p>{escape(code.how)}</p>"
        '<p class="hint">'
        + escape(text(language, "valid_until", time=code.valid_until))
        + "</p></div>"
    )


def _details(language: str, rows: Iterable[tuple[str, str, str]]) -> str:
    return (
        "<dl>"
        + "".join(
            f'<dt>{escape(text(language, key))}</dt><dd id="{escape(eid)}">'
            f"{escape(value)}</dd>"
            for key, eid, value in rows
        )
        + "</dl>"
    )


def confirmation_page(
    language: str,
    *,
    order_id: str,
    when: str,
    cost: str,
    status_path: str,
    dropoff: CodeBlock | None,
    sent_to: str | None,
) -> str:
    """The page after a booking."""
    title = text(language, "confirm_title")
    parts = [
        f'<h1 id="title">{escape(title)}</h1>',
        '<div class="card">'
        + _details(
            language,
            [
                ("order_id", "order-id", order_id),
                ("when", "when", when),
                ("cost", "cost", cost),
            ],
        )
        + "</div>",
    ]
    if dropoff is not None:
        parts.append(_code_block(language, dropoff))
    link = escape(status_path)
    parts.append(
        f'<div class="card"><h2>{escape(text(language, "status_link"))}</h2>'
        f'<p><a id="status-link" href="{link}">{link}</a></p>'
        f'<p class="hint">{escape(text(language, "status_hint"))}</p>'
    )
    if sent_to:
        sent = text(language, "status_sent", phone=sent_to)
        parts.append(f'<p class="hint">{escape(sent)}</p>')
    parts.append("</div>")
    return page(language, title, "".join(parts))


@dataclass
class StatusPage:
    """What the status page shows."""

    language: str
    order_id: str
    when: str
    cost: str
    state_key: str
    values: dict[str, Any]
    history: list[str]
    dropoff: CodeBlock | None = None
    collect: CodeBlock | None = None
    final: bool = False


def status_page(status: StatusPage) -> str:
    """The private status page of one order."""
    lang = status.language
    title = text(lang, "status_title")
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<div class="card"><p class="state" id="state" data-state="'
        f'{escape(status.state_key)}">'
        f"{escape(text(lang, 'state_' + status.state_key, **status.values))}</p>"
        f'<p id="state-hint">'
        f"{escape(text(lang, 'state_' + status.state_key + '_hint', **status.values))}"
        "</p>"
        + _details(
            lang,
            [
                ("order_id", "order-id", status.order_id),
                ("when", "when", status.when),
                ("cost", "cost", status.cost),
            ],
        )
        + "</div>",
    ]
    if status.dropoff is not None:
        parts.append(_code_block(lang, status.dropoff))
    if status.collect is not None:
        parts.append(_code_block(lang, status.collect))
    if status.history:
        parts.append(
            f'<div class="card"><h2>{escape(text(lang, "history"))}</h2><ol>'
            + "".join(f"<li>{escape(line)}</li>" for line in status.history)
            + "</ol></div>"
        )
    if not status.final:
        parts.append(f'<p class="hint">{escape(text(lang, "refresh"))}</p>')
    return page(lang, title, "".join(parts), refresh=None if status.final else 15)
