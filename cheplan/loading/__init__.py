"""File -> safe YAML with positions -> schema -> cross-checks -> a validated plan (or problems).

Also finds the plan and registers, and remembers plans that passed (the validation cache).
"""
