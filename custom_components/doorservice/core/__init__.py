"""The Door Service domain: plain, typed, synchronous Python without Home Assistant.

Time is always passed in (timezone-aware datetimes), so every rule is testable and
benchmarkable on its own. The Home Assistant glue persists, schedules and reflects.
"""
