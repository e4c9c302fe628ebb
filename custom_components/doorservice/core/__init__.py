"""The Door Service domain: plain, typed, synchronous Python with no Home Assistant import.

Time is always passed in (timezone-aware datetimes), so every rule is testable and
benchmarkable on its own. The Home Assistant glue persists, schedules and reflects.
"""
