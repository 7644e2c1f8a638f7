"""cheplan: keep a partnership's multi-agency action plan honest.

The library API is the core modules (`cheplan.load.load_plan`, `cheplan.questions.actions`,
`cheplan.questions.trace`, `cheplan.questions.diff`); the command line is a thin layer over them.
This module stays import-free so that ``cheplan --help`` starts fast.
"""

__version__ = "0.1.0"
