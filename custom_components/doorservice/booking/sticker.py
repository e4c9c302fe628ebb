"""A printable sticker of a cabinet's booking QR: SVG and PNG, made with segno.

Small cabinet displays are hard to scan; a sticker next to the keypad is not. It
holds the QR code, the cabinet's name and a short instruction (English and
Simplified Chinese in the SVG; English in the PNG, whose built-in font has no
Chinese glyphs).
"""

from __future__ import annotations

from html import escape
import io
import re

from PIL import Image, ImageDraw, ImageFont
import segno

INSTRUCTION = "Scan to book a cleaning, leave a key or buy supplies"
INSTRUCTION_ZH = "扫码预约保洁、存放钥匙或购买清洁用品"
SCALE = 10
BORDER = 4


def slug(name: str) -> str:
    """A file name part for ``name``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "cabinet"


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="q", micro=False)


def sticker_svg(name: str, url: str) -> str:
    """The sticker as an SVG document."""
    qr = _qr(url)
    width, _height = qr.symbol_size(scale=SCALE, border=BORDER)
    inner = qr.svg_inline(scale=SCALE, border=BORDER, omitsize=False)
    total = width + 170
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}"'
        f' viewBox="0 0 {width} {total}">'
        f'<rect width="{width}" height="{total}" fill="#fff"/>'
        f'<text x="{width / 2}" y="52" font-family="sans-serif" font-size="36"'
        f' font-weight="700" text-anchor="middle">{escape(name)}</text>'
        f'<g transform="translate(0,70)">{inner}</g>'
        f'<text x="{width / 2}" y="{width + 110}" font-family="sans-serif"'
        f' font-size="20" text-anchor="middle">{escape(INSTRUCTION)}</text>'
        f'<text x="{width / 2}" y="{width + 145}" font-family="sans-serif"'
        f' font-size="20" text-anchor="middle">{escape(INSTRUCTION_ZH)}</text>'
        "</svg>"
    )


def sticker_png(name: str, url: str) -> bytes:
    """The sticker as a PNG (QR by segno, words drawn with Pillow's own font)."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=SCALE, border=BORDER)
    buffer.seek(0)
    with Image.open(buffer) as opened:
        code = opened.convert("RGB")
    width = max(code.width, 480)
    sheet = Image.new("RGB", (width, code.height + 150), "white")
    sheet.paste(code, ((width - code.width) // 2, 70))
    draw = ImageDraw.Draw(sheet)
    title = ImageFont.load_default(size=34)
    small = ImageFont.load_default(size=18)
    draw.text((width / 2, 35), name, fill="black", font=title, anchor="mm")
    draw.text(
        (width / 2, code.height + 105),
        INSTRUCTION,
        fill="black",
        font=small,
        anchor="mm",
    )
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


NOTE_BOOKING_OFF = (
    "Public booking is off for this cabinet.",
    "Turn it on with the doorservice.set_public_booking action.",
)
NOTE_NO_EXTERNAL_URL = (
    "No external URL: a phone could not open the booking link.",
    "Set one in Settings > System > Network (Home Assistant URL).",
)


def note_svg(lines: tuple[str, ...]) -> bytes:
    """A small SVG with a few lines of text (what to configure instead of a QR)."""
    body = "".join(
        f'<text x="20" y="{40 + 30 * index}" font-family="sans-serif" font-size="18">'
        f"{escape(line)}</text>"
        for index, line in enumerate(lines)
    )
    height = 40 + 30 * len(lines)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640"'
        f' height="{height}" viewBox="0 0 640 {height}">'
        f'<rect width="640" height="{height}" fill="#fff"/>{body}</svg>'
    ).encode()
