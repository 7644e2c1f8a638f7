"""Questions asked of a validated plan: pure functions, with "today" always passed in.

Overdue and due, recommendation coverage (trace), what an edit changes (diff), and the edit
rules against a git revision (history).
"""
