"""One doctor run: :func:`diagnose` connects (or takes a client), runs every check in order and returns the
:class:`~cswidgets.doctor.report.Report`. Read-only: only GETs without side effect, through the API core."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from cswidgets.api.errors import DSSConfigError, DSSConnectionError

from .connection import first_contact, source_kind, tls_text
from .context import Context
from .report import Report
from .studios import check_studios, sample_studios
from .sync import check_sync
from .tasks import check_tasks, check_templates
from .timings import timings
from .verdicts import Check, confirmed, differs

__all__ = ["diagnose"]

log = logging.getLogger(__name__)
CONNECTION_WHERE = "docs/dss-api.md §1; cswidgets/api/transport.py"

ADMIN_WHERE = "docs/dss-api.md §2.2 (templates need an admin), §10 (allUsers needs an admin)"
NOT_ADMIN_PANELS = (
    "TemplateBuilds and the New-studio dialog's template list are refused (templates need an admin)",
    "StudioTable: your own running tasks only; stop and start need the studio's owner or a project admin",
    "ConflictViewer: pull and push only on your own studios",
)


def diagnose(client: Any = None, **connect_kwargs: Any) -> Report:
    """Run the doctor against ``client`` (default: ``cswidgets.connect(**connect_kwargs)``)."""
    report = Report()
    if client is None:
        from cswidgets.api import connect

        try:
            client = connect(**connect_kwargs)
        except (DSSConfigError, ValueError) as exc:
            report.facts["error"] = str(exc)
            report.checks.append(differs(
                "connection settings", "cswidgets/api/config.py; docs/dss-api.md §5",
                "no usable DSS connection settings; fix: set DKU_DSS_URL and DKU_API_KEY, pass url= and api_key=, "
                "or create ~/.dataiku/config.json", blocking=True))
            return report
        try:
            return _run(client, report)
        finally:
            client.close()
    return _run(client, report)


def _run(client: Any, report: Report) -> Report:
    ctx = Context(client)
    report.redactor = ctx.redactor
    report.server = {"tls": tls_text(client), "auth_kind": client.auth_kind,
                     "credentials_source": source_kind(client.source)}
    report.facts.update(url=client.base_url, credentials=f"{client.auth_kind} from {client.source or 'arguments'}")
    checks, facts = first_contact(ctx)
    report.checks += checks
    if facts.get("error"):
        report.facts["error"] = ctx.redactor.scrub(str(facts["error"]))
    if report.blocking:
        return report
    simulator = client.is_simulator
    report.server.update(is_simulator=simulator, dss_version=client.dss_version)
    report.facts["server"] = ("the cswidgets simulator" if simulator else "DSS") + f" {client.dss_version or ''}"
    sample, listed = sample_studios(ctx)
    report.checks += listed
    if not report.blocking:
        report.checks += _guarded("studio reads", check_studios, ctx, sample)
        report.checks += _guarded("file sync reads", check_sync, ctx, sample)
        report.checks += _guarded("running tasks", check_tasks, ctx, sample)
        report.checks += _guarded("templates", check_templates, ctx)
        report.checks.append(_admin(ctx, facts, report))
        report.timings = timings(ctx, sample)
    report.shapes = dict(ctx.shapes)
    return report


def _guarded(group: str, checks: Callable[..., list[Check]], *args: Any) -> list[Check]:
    """The checks of one group; a connection lost meanwhile, or an answer no check foresaw, is named instead
    of ending the run."""
    try:
        return checks(*args)
    except DSSConnectionError:
        return [differs(group, CONNECTION_WHERE, "the connection was lost during these checks",
                        path="the panels say \"connection lost -- retrying\" and keep the rows as last read")]
    except Exception as exc:  # a doctor must report what it cannot read, not crash on it
        log.warning("doctor: %s could not be checked", group, exc_info=True)
        return [differs(group, "docs/dss-api.md", f"an answer the doctor could not read ({type(exc).__name__}); "
                        "please report it with the --report file")]


def _admin(ctx: Context, facts: dict[str, Any], report: Report) -> Check:
    login = facts.get("login")
    admin = ctx.admin if ctx.admin is not None else "administrators" in facts.get("groups", [])
    report.server["admin"] = admin
    report.facts["user"] = f"{login or '(unknown)'}, {'an administrator' if admin else 'not an administrator'}"
    if admin:
        report.facts["panels"] = ["every panel can do everything here"]
        return confirmed("admin rights", ADMIN_WHERE, "an administrator: every panel works fully")
    report.facts["panels"] = list(NOT_ADMIN_PANELS)
    return differs("admin rights", ADMIN_WHERE, "not an administrator", path="; ".join(NOT_ADMIN_PANELS))
