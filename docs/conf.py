"""Sphinx configuration: the API reference (autodoc + autosummary over the packages, numpy-style docstrings through
napoleon) and the guides (Markdown through MyST). Built by ``make docs`` with warnings as errors; offline."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cswidgets import __version__  # noqa: E402

project = "cswidgets"
author = "The cswidgets developers"
copyright = "2026, The cswidgets developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "api/_generated/**/*.md"]
templates_path = ["_templates"]

# --- the API reference: one page per module, generated (the module list follows the packages) -----------------
autosummary_generate = True
autosummary_imported_members = False
# Each page documents what its module defines: the names a module or package re-exports (``__all__``, the lazy
# exports of ``cswidgets`` and ``cswidgets.api``) are documented once, where they are defined.
autodoc_default_options = {"members": True, "show-inheritance": True, "ignore-module-all": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
# Names two packages define on purpose (the simulator models DSS's futures too: cswidgets.sim.model.futures.Future)
# make an annotation's cross-reference ambiguous ("more than one target found", category ref.python); Sphinx then
# links the first, the API core's. Those are the only warnings silenced: every other one fails `make docs`.
autodoc_type_aliases = {"Future": "cswidgets.api.futures.Future"}
suppress_warnings = ["ref.python"]
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# --- the guides ------------------------------------------------------------------------------------------------
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

html_theme = "alabaster"
html_title = f"cswidgets {release}"
html_static_path: list[str] = []
