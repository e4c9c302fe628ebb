"""Errors raised by the domain when a request breaks one of its rules."""

from __future__ import annotations


class DoorServiceError(Exception):
    """A request the domain refused; nothing was changed.

    ``translation_key`` names the message in the integration's ``exceptions``
    translations; ``placeholders`` fill it. The Home Assistant glue turns this into a
    ``ServiceValidationError`` with the same key.
    """

    def __init__(self, translation_key: str, **placeholders: object) -> None:
        """Create the error with its translation key and placeholders."""
        self.translation_key = translation_key
        self.placeholders: dict[str, str] = {
            key: str(value) for key, value in placeholders.items()
        }
        detail = ", ".join(f"{k}={v}" for k, v in self.placeholders.items())
        super().__init__(f"{translation_key}({detail})" if detail else translation_key)
