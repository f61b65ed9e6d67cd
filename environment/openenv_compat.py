"""Import OpenEnv without its optional Gradio web interface.

`openenv.core.env_server` imports its Gradio UI eagerly (about 5 of its 7 s of import time on a small
machine), inside `try: ... except ModuleNotFoundError`. AutoCodeRL serves its own tester at /web and
never uses that UI, so OpenEnv is imported once with `gradio` hidden; afterwards `gradio` imports
normally for anyone who wants it. Import this module before anything from `openenv`.
"""

from __future__ import annotations

import sys


def _import_without_gradio() -> None:
    if "openenv.core.env_server" in sys.modules or "gradio" in sys.modules:
        return  # already imported (or the user imported gradio first): nothing to save
    sys.modules["gradio"] = None  # type: ignore[assignment] - makes `import gradio` raise ModuleNotFoundError
    try:
        import openenv.core.env_server  # noqa: F401
    finally:
        if sys.modules.get("gradio", 0) is None:
            del sys.modules["gradio"]


_import_without_gradio()
