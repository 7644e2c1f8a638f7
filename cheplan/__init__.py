"""cheplan: keep a partnership's multi-agency action plan honest.

The library API lives in :mod:`cheplan.api`; the command line is a thin layer over it.
This module stays import-free so that ``cheplan --help`` starts fast.
"""

__version__ = "0.1.0"
