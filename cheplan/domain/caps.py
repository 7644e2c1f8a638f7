"""The read caps: how big a plan may be and still be read. Writers check against the same numbers.

They are defined here, once, because two sides must agree on them: the reader refuses what
is over them, and every writer refuses to produce it (a plan written over a cap is a plan no
command will read again). Code that must see a changed value (a test shrinking a cap) reads
them as `caps.NAME` when it runs, not as a copy taken at import.
"""

from __future__ import annotations

MAX_FILE_BYTES = 64 * 1024 * 1024
"""A plan or register file, in bytes: a 100,000-action plan is about 40 MB."""

MAX_SCALAR_CHARS = 100_000
"""One value (a note, a title) in characters. The longest text in a real plan is a few thousand
characters; a megabyte-long value is a wrong or hostile file, reported at once."""

MAX_NODES = 2_000_000
"""Values (scalars, lists, mappings) written in one file: the shipped plan has 1,300, 10,000
actions 310,000, 100,000 one-line actions 1.9 million. Memory and time grow with this count,
not the file's size, so it bounds them (schema errors and positions are bounded past here).
At this budget the worst file, 999,999 unquoted-date keys, takes 5.5-7 s and 250 MiB
(benchmarks/budgets.py); the YAML builder's loop, about 3 µs a value, is what keeps it from
going higher."""

MAX_SHARES = 2_000_000
"""Actions counted once for each organisation that owns them: an action led by "All" belongs to
every organisation of the directory, so 100,000 such actions and 1,000 organisations are 100
million (action, organisation) pairs, and the listings, returns and JSON that name each action
under each of its organisations grow with them (1.6 GB of `actions -f json`, 7.6 GB of memory
for `trace -f json`: no faster code answers that). The shipped 10,000-action plan has about
22,000; a regional unit's, 10,000 actions and up to 50 organisations with some led by "All",
stays well under. Counted in one pass over the actions ("All" adds the directory's size, no
list is made), checked by `validate` (`too-many-shares`), so no command meets a plan past it.
At this cap, 100,000 actions each led by "All" and 20 organisations, every command answers
within the budget (benchmarks/budget_shares.py); `stale`, whose rows are the shares, refuses
past its own output cap, MAX_STALE_ROWS."""

MAX_DEPTH = 64
"""Nesting levels: a plan is never this deep, and deeper input could exhaust a recursive reader."""

# The output caps: how much one run makes for people. Each output costs something per item in
# Python (an event, a row, a report section), and on a plan at the read caps the load alone takes
# about 5 s: past these a command refuses at once, naming its cap and how to narrow the run
# (--lead), so that any plan under the read caps is answered within 10 s and 512 MiB
# (benchmarks/budgets.py; the figures are in docs/speed.md). A regional unit's plan, 10,000
# actions, is under every one of them.

MAX_TABLE_ROWS = 5_000
"""Rows one terminal table lays out, whatever --limit asks: Rich takes about 0.4 ms and a few KB
a row, so all 100,000 actions took 53 s and 880 MiB; 5,000 take 2 s. CSV and JSON have no such cap."""

MAX_TABLE_GROUPS = 1_000
"""Groups in one terminal table: each group is a table of its own, about 1.5 ms to lay out
(5,000 themes of one action each took 7.3 s); 1,000 take 1.5 s."""

MAX_STALE_ROWS = 50_000
"""Rows one `stale` run weighs: each unfinished action, a shared one once for each of its
organisations (each share is stale or fresh by its own entries). Each row is an object and, in
JSON, the action's organisations again: 2,000,000 shares (the share cap) took 1.5 GiB for the
table and 7.3 GiB for JSON; 100,000 shares of 20 organisations each, 544 MiB. A regional unit's
plan is about 22,000. The organisations the rows name in all are held to MAX_SHARES too: 50 actions
led by "All" and 1,000 organisations are only 50,000 rows, but 50 million names."""

MAX_CALENDAR_EVENTS = 10_000
"""Deadlines in one calendar feed: icalendar builds and folds each event and its reminders in
Python (about 0.4 ms and 20 KB each), and a calendar client shows no more than this usefully
either."""

MAX_REPORT_ACTIONS = 10_000
"""Actions one board report covers (with --lead, those of the organisation): the report
rates, lists and prints each (about 0.1 ms of HTML, 0.15 ms of Markdown, each); a board reads
no more in one pack."""

MAX_WORKBOOK_ROWS = 10_000
"""Actions in one returns workbook: a partner fills in each row by hand. The import reads no
more rows than an export writes (`questions.returns.row_cap`)."""

MAX_RETURNS_ROWS = 25_000
"""Rows across the workbooks of one `returns export`, `send` or `chase` run: openpyxl writes
each cell in Python (about 0.3 ms a row). A regional unit's full export, 10,000 actions with
shared leads, is about 22,000 rows."""
