"""The public booking page of each cabinet and the owner's private status page.

``links.py`` (tokens and URLs), ``desk.py`` (booking through the coordinator, owner
codes, status), ``page.py`` and ``texts.py`` (HTML in English and Simplified Chinese),
``limits.py`` (rate limits), ``views.py`` (the HTTP views), ``sticker.py`` (the
printable QR). Its manager actions (and the virtual keypad) are
``services/booking.py``.

Nothing is imported here: ``cabinet_glue.py`` imports ``links`` and the views import
the runtime, which imports the glue.
"""
