"""Seeded scenarios: ``demo``, ``scale`` and ``empty``.

- ``demo``: 3 projects, 13 studios in every state with distinct owners (alice, bob, carol,
  dave, admin), 4 templates (one never built), real files in every zone, and ready-made
  conflicts (added, modified and deleted) in running studios.
- ``scale``: ``studios`` studios (total, default 100) spread over ``projects`` projects
  (default 10), in a seeded mix of states, with light zone contents. For benchmarks.
- ``empty``: only the admin user and the container configurations.

The same seed gives the same ids, names, file contents and commit hashes.
"""

from __future__ import annotations

from . import assumptions as A
from .model import Model, PortSpec, ZoneSpec

DEMO_USERS = ("alice", "bob", "carol", "dave")
CONTAINER_CONFS = ["k8s-default", "k8s-gpu", "k8s-highmem"]
DAY_MS = 24 * 3600 * 1000


def _templates(model: Model) -> None:
    z = ZoneSpec
    now = model.clock.now_ms()
    specs = [
        (
            "tpl_vscode",
            "VS Code",
            "Visual Studio Code with the project's code env",
            2,
            (
                z(A.ZONE_PROJECT_LIB_VERSIONED),
                z(A.ZONE_PROJECT_LIB_RESOURCES, True),
                z(A.ZONE_RECIPES),
                z(A.ZONE_STUDIO_VERSIONED),
                z(A.ZONE_USER_VERSIONED),
            ),
            (PortSpec("VS Code", 8080),),
            ["k8s-default", "k8s-gpu"],
        ),
        (
            "tpl_jupyterlab",
            "JupyterLab",
            "JupyterLab with notebooks and recipes",
            9,
            (
                z(A.ZONE_PROJECT_LIB_VERSIONED),
                z(A.ZONE_PROJECT_LIB_RESOURCES, True),
                z(A.ZONE_RECIPES),
                z(A.ZONE_NOTEBOOKS),
                z(A.ZONE_STUDIO_VERSIONED),
                z(A.ZONE_USER_VERSIONED),
            ),
            (PortSpec("JupyterLab", 8888),),
            ["k8s-default"],
        ),
        (
            "tpl_streamlit",
            "Streamlit",
            "Streamlit apps, edited in VS Code",
            30,
            (z(A.ZONE_PROJECT_LIB_VERSIONED), z(A.ZONE_STUDIO_VERSIONED), z(A.ZONE_STUDIO_RESOURCES)),
            (PortSpec("VS Code", 8080), PortSpec("Streamlit", 8501)),
            ["k8s-default"],
        ),
        (
            "tpl_rstudio",
            "RStudio Server",
            "RStudio Server (never built yet)",
            None,
            (z(A.ZONE_PROJECT_LIB_VERSIONED), z(A.ZONE_USER_VERSIONED), z(A.ZONE_USER_RESOURCES, True)),
            (PortSpec("RStudio", 8787),),
            None,
        ),
    ]
    for tid, label, desc, built_days_ago, zones, ports, confs in specs:
        model.add_template(
            label, "block_based", template_id=tid, description=desc, container_confs=confs, zones=zones, ports=ports
        )
        if built_days_ago is not None:
            tpl = model.templates[tid]
            tpl.last_built_ms = now - built_days_ago * DAY_MS
            tpl.built_for = tpl.confs_to_build(model.container_confs)


def _project_files(pkg: str, rng_value: int) -> dict[str, dict[str, str]]:
    """Initial DSS-side contents of a project's zones, by zone key."""
    return {
        A.ZONE_PROJECT_LIB_VERSIONED: {
            f"python/{pkg}/__init__.py": f'"""{pkg} helpers."""\n__version__ = "1.{rng_value % 10}.0"\n',
            f"python/{pkg}/features.py": (
                f"WINDOW = {rng_value % 30 + 7}\n\n\ndef rolling_mean(values):\n"
                "    return sum(values[-WINDOW:]) / max(len(values[-WINDOW:]), 1)\n"
            ),
            f"python/{pkg}/io.py": "import json\n\n\ndef load(path):\n    with open(path) as f:\n"
            "        return json.load(f)\n",
            f"python/{pkg}/legacy.py": "def old_api():\n    raise NotImplementedError\n",
            "R/helpers.R": "clean_names <- function(df) { names(df) <- tolower(names(df)); df }\n",
        },
        A.ZONE_PROJECT_LIB_RESOURCES: {"data/lookup.csv": "code,label\n1,north\n2,south\n"},
        A.ZONE_RECIPES: {f"compute_{pkg}.py": f"import dataiku\n\nds = dataiku.Dataset('{pkg}_raw')\n"},
        A.ZONE_NOTEBOOKS: {"EDA.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'},
    }


def _seed_repos(
    model: Model, project_key: str, studio_id: str, files: dict[str, dict[str, str]], author: str, time_ms: int
) -> None:
    """Give every still-empty DSS-side zone of a studio its initial files."""
    st = model.studio(project_key, studio_id)
    for zone in st.zones:
        repo = model.repo(st, zone.key)
        if len(repo.commits) > 1 or repo.head.files:
            continue
        if zone.key in files:
            content = files[zone.key]
        elif A.zone_scope(zone.key) == "studio":
            content = {
                ".vscode/settings.json": '{"editor.tabSize": 4}\n',
                "README.md": f"# {st.name}\n\nOwned by {st.owner}.\n",
            }
        else:
            content = {".bashrc": f"export PS1='{st.owner}@studio$ '\n", ".gitconfig": f"[user]\n\tname = {st.owner}\n"}
        repo.commit(content, author, time_ms, "Initial import")


def demo(model: Model) -> None:
    for login in DEMO_USERS:
        model.add_user(login)
    model.container_confs = list(CONTAINER_CONFS)
    _templates(model)
    now = model.clock.now_ms()
    rng = model.rng
    projects = [
        ("SALES_FORECAST", "Sales forecast", "alice", "forecast"),
        ("CHURN_MODEL", "Churn model", "bob", "churn"),
        ("LOGISTICS", "Logistics & routing", "carol", "routing"),
    ]
    studios = {
        "SALES_FORECAST": [
            ("Forecast notebook", "alice", "tpl_vscode", "RUNNING"),
            ("Bob's sandbox", "bob", "tpl_jupyterlab", "STOPPED"),
            ("Dashboard app", "carol", "tpl_streamlit", "RUNNING"),
            ("Feature engineering", "alice", "tpl_jupyterlab", "STARTING"),
            ("Old experiments", "dave", "tpl_vscode", "NEVER"),
        ],
        "CHURN_MODEL": [
            ("Churn EDA", "bob", "tpl_jupyterlab", "RUNNING"),
            ("Model training", "carol", "tpl_vscode", "STOPPING"),
            ("Reports", "dave", "tpl_rstudio", "NEVER"),
            ("Scoring API", "alice", "tpl_streamlit", "RUNNING"),
        ],
        "LOGISTICS": [
            ("Route optimiser", "carol", "tpl_vscode", "RUNNING"),
            ("Ünïcode ✓ studio — «test»", "dave", "tpl_jupyterlab", "STOPPED"),
            ("Admin tools", "admin", "tpl_vscode", "RUNNING"),
            ("Depot planner", "bob", "tpl_vscode", "STOPPED"),
        ],
    }
    ids: dict[str, str] = {}
    for key, name, owner, pkg in projects:
        model.add_project(key, name, owner, short_desc=f"Demo project: {name.lower()}")
        files = _project_files(pkg, rng.randrange(1000))
        for i, (sname, sowner, tid, state) in enumerate(studios[key]):
            sid = model.add_studio(key, sname, sowner, tid)
            ids[sname] = sid
            _seed_repos(model, key, sid, files, owner, now - 30 * DAY_MS)
            if state == "NEVER":
                continue
            model.set_state(key, sid, state, by=sowner)
            st = model.studio(key, sid)
            if state in ("RUNNING", "STOPPED"):
                st.last_change_ms = now - (i + 1) * 3_600_000 * (5 if state == "STOPPED" else 1)
    _demo_conflicts(model, ids)


def _demo_conflicts(model: Model, ids: dict[str, str]) -> None:
    """Edits on both sides of running studios, so that conflicts of every kind exist."""
    w, d = model.write_file, model.delete_file
    pk, sid, z = "SALES_FORECAST", ids["Forecast notebook"], A.ZONE_PROJECT_LIB_VERSIONED
    w(pk, sid, z, "python/forecast/features.py", "WINDOW = 28  # alice: monthly window\n", "studio", "alice")
    w(pk, sid, z, "python/forecast/features.py", "WINDOW = 14  # bob: two weeks\n", "dss", "bob")
    w(pk, sid, z, "python/forecast/holidays.py", "HOLIDAYS = ['2024-12-25']\n", "studio", "alice")
    w(pk, sid, z, "python/forecast/holidays.py", "HOLIDAYS = ['2025-01-01']\n", "dss", "carol")
    d(pk, sid, z, "python/forecast/legacy.py", "studio", "alice")
    w(pk, sid, z, "python/forecast/legacy.py", "def old_api():\n    return 42  # bob\n", "dss", "bob")
    w(pk, sid, z, "python/forecast/io.py", "# alice: studio-only change\n", "studio", "alice")
    w(pk, sid, z, "R/helpers.R", "# carol: DSS-only change\n", "dss", "carol")
    w(pk, sid, A.ZONE_RECIPES, "compute_forecast.py", "import dataiku  # edited in studio\n", "studio", "alice")

    pk, sid = "CHURN_MODEL", ids["Churn EDA"]
    w(pk, sid, A.ZONE_PROJECT_LIB_VERSIONED, "python/churn/features.py", "WINDOW = 90  # bob\n", "studio", "bob")
    w(pk, sid, A.ZONE_PROJECT_LIB_VERSIONED, "python/churn/features.py", "WINDOW = 60  # alice\n", "dss", "alice")
    d(pk, sid, A.ZONE_NOTEBOOKS, "EDA.ipynb", "studio", "bob")
    w(pk, sid, A.ZONE_NOTEBOOKS, "EDA.ipynb", '{"cells": [{"cell_type": "markdown"}]}\n', "dss", "carol")

    pk, sid = "LOGISTICS", ids["Route optimiser"]
    w(pk, sid, A.ZONE_STUDIO_VERSIONED, "notes/TODO.md", "- try OR-tools\n", "studio", "carol")
    w(pk, sid, A.ZONE_STUDIO_VERSIONED, "notes/TODO.md", "- benchmark solvers\n", "dss", "admin")


def scale(model: Model, projects: int = 10, studios: int = 100) -> None:
    if projects < 1 or studios < 0:
        raise ValueError("scale needs projects >= 1 and studios >= 0")
    for login in DEMO_USERS:
        model.add_user(login)
    model.container_confs = list(CONTAINER_CONFS)
    _templates(model)
    rng = model.rng
    now = model.clock.now_ms()
    owners = [*DEMO_USERS, "admin"]
    template_ids = list(model.templates)
    words = ["alpha", "beta", "gamma", "delta", "omega", "lab", "sandbox", "prod", "dev", "ml", "etl", "app"]
    keys = [f"PROJ_{i:03d}" for i in range(projects)]
    for key in keys:
        model.add_project(key, key.replace("_", " ").title(), rng.choice(owners))
    for j in range(studios):
        key = keys[j % projects]
        owner = rng.choice(owners)
        sid = model.add_studio(key, f"{rng.choice(words)}-{rng.choice(words)}-{j}", owner, rng.choice(template_ids))
        _seed_repos(
            model,
            key,
            sid,
            {
                A.ZONE_PROJECT_LIB_VERSIONED: {"python/lib.py": f"X = {j % projects}\n"},
                A.ZONE_RECIPES: {"recipe.py": "import dataiku\n"},
            },
            owner,
            now - DAY_MS,
        )
        roll = rng.random()
        state = (
            "NEVER"
            if roll < 0.3
            else "STOPPED"
            if roll < 0.6
            else "RUNNING"
            if roll < 0.9
            else "STARTING"
            if roll < 0.95
            else "STOPPING"
        )
        if state != "NEVER":
            model.set_state(key, sid, state, by=owner)
        if state == "STOPPED":
            model.studio(key, sid).last_change_ms = now - rng.randrange(1, 200) * 3_600_000


def empty(model: Model) -> None:
    model.container_confs = list(CONTAINER_CONFS)


SCENARIOS = {"demo": demo, "scale": scale, "empty": empty}
