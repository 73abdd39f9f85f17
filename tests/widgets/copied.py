"""Run code copied with "Copy as Python" as a user would: in a fresh namespace, connected by the environment
(``DKU_DSS_URL`` / ``DKU_API_KEY`` pointing at the test's simulator), nothing else given."""

from __future__ import annotations

import ast
from typing import Any


def run_copied(code: str, url: str, api_key: str, monkeypatch: Any) -> dict[str, Any]:
    """Execute ``code`` (asserting first that every call's arguments are literals: the code runs as copied);
    returns its namespace."""
    assert isinstance(code, str) and code.startswith("import cswidgets\n"), code
    literal_only(code)
    monkeypatch.setenv("DKU_DSS_URL", url)
    monkeypatch.setenv("DKU_API_KEY", api_key)
    namespace: dict[str, Any] = {}
    exec(compile(code, "<copied>", "exec"), namespace)  # the code under test
    client = namespace.get("client")
    if client is not None:
        client.close()
    return namespace


def literal_only(code: str) -> None:
    """Every value written into the code is a literal (a name only where the code defined it)."""
    tree = ast.parse(code)
    defined = {"client", "cswidgets", "print", "str", "f"} | {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            assert node.id in defined, f"{node.id!r} is not defined in the copied code"
