"""``python_code`` for every action it covers (#24): valid Python whose only values are literals, whatever the text
(a name, a label, a path, an id with quotes or newlines cannot add a statement); ``None`` where no code applies."""

from __future__ import annotations

import ast

import pytest

from cswidgets.widgets.shared.operation import python_code

HOSTILE = "x'); import os; os.system('echo pwned') #\nprint('injected"

CASES = {
    "batch stop": ("stop", {"studios": ["P/a", f"P/{HOSTILE}"]}),
    "batch start": ("start", {"studios": ["P/a"]}),
    "batch restart": ("restart", {"studios": ["Q/b"]}),
    "webapp stop": ("stop webapp", {"project_key": "P", "studio_id": "s", "webapp_id": HOSTILE}),
    "webapp start": ("start webapp", {"project_key": "P", "webapp_id": "w"}),
    "abort": ("abort", {"job_id": HOSTILE}),
    "export": ("export", {"template_id": "t", "path": HOSTILE}),
    "import": ("import", {"path": HOSTILE, "label": HOSTILE, "note": f"{HOSTILE!r} was chosen in the browser"}),
    "template delete": ("delete", {"template_id": HOSTILE, "delete_runtime": True}),
    "restart outdated": ("restart outdated", {"template_id": "t", "studios": ["P/a"]}),
    "stop idle": ("stop idle", {"studios": ["P/a"], "running_longer_than": 3600, "project_keys": [HOSTILE],
                                "options": {"exclude_owners": [HOSTILE]}}),
    "check all": ("check all", {"project_key": "P", "studio_id": HOSTILE}),
    "create": ("create", {"project_key": "P", "template_id": "t", "name": HOSTILE, "start": True}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_code_is_python_with_literals_only(case):
    what, args = CASES[case]
    code = python_code(what, **args)
    assert code is not None and code.startswith("import cswidgets\n")
    tree = ast.parse(code)
    imports = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names]
    assert imports == ["cswidgets"]  # nothing the text could have added
    assert not any(isinstance(n, ast.Attribute) and n.attr == "system" for n in ast.walk(tree))
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert set(calls) <= {"print", "str"}  # every other call is a cswidgets method
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    if HOSTILE in repr(args):
        assert any(HOSTILE in s for s in strings)  # the text is there, as a string literal


def test_no_code_where_none_applies():
    assert python_code("abort") is None  # no task id
    assert python_code("stop", studios=["no-slash"]) is None  # a malformed key: the action refuses it itself
    assert python_code("stop", studios="P/a") is None  # a string is not a list of keys
    assert python_code("export", template_id="t") is None  # no path
    assert python_code("dance", project_key="P", studio_id="s") is None
