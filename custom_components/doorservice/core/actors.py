"""Who did something: actor strings such as ``worker:<id>``, ``system`` or ``owner``.

Orders, codes and key hops record their actor (or a code's holder) as a plain string.
A worker is written ``worker:<id>``; everything else (``system``, ``cabinet``,
``owner``, ``operator``, ``front_desk``, a person's name) is taken as it is. These
helpers are the one place that knows the prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

WORKER_PREFIX = "worker:"

ACTOR_SYSTEM = "system"
"""Actor of what the site does on its own (dispatch, timeouts, closing)."""
ACTOR_CABINET = "cabinet"
"""Actor of the key hooks driven by the cabinet layer."""


def worker_actor(worker_id: str) -> str:
    """Return the actor string of a worker (``worker:<id>``)."""
    return f"{WORKER_PREFIX}{worker_id}"


def actor_worker_id(actor: str | None) -> str | None:
    """Return the worker id of a ``worker:<id>`` actor, else None."""
    if actor is None or not actor.startswith(WORKER_PREFIX):
        return None
    return actor.removeprefix(WORKER_PREFIX) or None


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor string taken apart: a worker (``worker_id`` set) or anyone else."""

    text: str
    worker_id: str | None = None

    @classmethod
    def parse(cls, actor: str) -> Actor:
        """Parse ``worker:<id>`` (a worker) or any other actor string."""
        return cls(actor, actor_worker_id(actor))

    @property
    def is_worker(self) -> bool:
        """Return True for a worker."""
        return self.worker_id is not None

    def __str__(self) -> str:
        """Return the actor string."""
        return self.text
