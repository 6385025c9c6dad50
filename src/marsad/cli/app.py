"""The `marsad` command: wiring of command groups, and error handling for all of them.

Deliberate errors (MarsadError) print as one line and exit 1; `--debug` shows tracebacks.
SIGTERM and Ctrl-C end with exit status 130 and one line (the contract is in
`marsad.interrupts`): the current unit of work rolls back, committed work stays.
A command's own `typer.Exit` passes through untouched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, NoReturn, ParamSpec

import typer

from marsad import __version__, interrupts
from marsad.cli import (
    alerts,
    events,
    export,
    hashlist,
    kb,
    pipeline,
    preserve,
    referral,
    report,
    review,
    setup,
    sources,
    stories,
    web,
    workers,
)
from marsad.cli import translate as translate_cli
from marsad.cli.console import errors
from marsad.config import Settings
from marsad.errors import MarsadError

app = typer.Typer(
    name="marsad",
    help="Marsad: capture, preserve and analyse the public communications of armed groups.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


P = ParamSpec("P")


class CliState:
    debug = False


def _version(value: bool) -> None:
    if value:
        print(f"marsad {__version__}")
        raise typer.Exit()


def root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    CliState.debug = debug
    Settings.from_env().configure_logging("DEBUG" if debug else None)


def _interrupted() -> typer.Exit:
    errors.print("interrupted: work committed so far is kept")
    return typer.Exit(130)


def reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn a command's failures into one clear line and an exit code (no traceback)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort):  # a command's own exit status, not a failure
            raise
        except KeyboardInterrupt:
            raise _interrupted() from None
        except Exception as error:
            if interrupts.received():  # a call the signal cut short failed because of it
                raise _interrupted() from None
            _report_failure(error)

    return wrapper


def _report_failure(error: Exception) -> NoReturn:
    """One line for what went wrong, exit status 1 (`--debug` re-raises for the traceback)."""
    if CliState.debug:
        raise error
    from sqlalchemy.exc import OperationalError  # loaded already if the database failed

    if isinstance(error, MarsadError):
        message = f"error: {error}"
    elif isinstance(error, OperationalError):  # the database (file or server) failed us
        message = (
            f"error: the database failed: {' '.join(str(error.orig).split())} "
            "(work committed before it is kept; run the command again once it is fixed)"
        )
    else:
        message = (
            f"error: unexpected {error.__class__.__name__}: {error} "
            "(run with --debug for the traceback)"
        )
    errors.print(message, markup=False)
    raise typer.Exit(1) from None


app.callback()(reports_errors(root))
for command in (
    setup.init,
    pipeline.ingest,
    pipeline.run,
    pipeline.status,
    pipeline.stages,
    export.export,
    preserve.verify,
    preserve.timestamp,
    sources.crawl,
    stories.stories,
    workers.worker,
    workers.scheduler,
    translate_cli.translate,
):
    app.command()(reports_errors(command))
app.command("dead-letters")(reports_errors(workers.dead_letters))
for name, source_command in (
    ("add", sources.add),
    ("list", sources.list_sources),
    ("enable", sources.enable),
    ("disable", sources.disable),
):
    sources.source_app.command(name)(reports_errors(source_command))
app.add_typer(sources.source_app, name="source")
preserve.capture_app.command("show")(reports_errors(preserve.show))
app.add_typer(preserve.capture_app, name="capture")
hashlist.hashlist_app.command("import")(reports_errors(hashlist.import_list))
app.add_typer(hashlist.hashlist_app, name="hashlist")
for name, kb_command in (
    ("sync", kb.sync),
    ("import", kb.import_file),
    ("add", kb.add),
    ("show", kb.show),
):
    kb.kb_app.command(name)(reports_errors(kb_command))
app.add_typer(kb.kb_app, name="kb")
review.review_app.callback()(reports_errors(review.queue))
for name, review_command in (
    ("list", review.list_names),
    ("confirm", review.confirm),
    ("reject", review.reject),
):
    review.review_app.command(name)(reports_errors(review_command))
app.add_typer(review.review_app, name="review")
for name, referral_command in (
    ("open", referral.open_case),
    ("list", referral.list_cases),
    ("show", referral.show),
    ("package", referral.package),
    ("send", referral.send),
    ("status", referral.set_status),
    ("verify", referral.verify),
    ("watch", referral.watch),
    ("stats", referral.stats),
    ("policies", referral.policies),
):
    referral.referral_app.command(name)(reports_errors(referral_command))
app.add_typer(referral.referral_app, name="referral")
for name, alerts_command in (
    ("add", alerts.add),
    ("list", alerts.list_rules),
    ("test", alerts.test),
    ("deliveries", alerts.deliveries),
    ("deliver", alerts.deliver),
    ("redeliver", alerts.redeliver),
    ("enable", alerts.enable),
    ("disable", alerts.disable),
):
    alerts.alerts_app.command(name)(reports_errors(alerts_command))
app.add_typer(alerts.alerts_app, name="alerts")
report.report_app.command("build")(reports_errors(report.build))
app.add_typer(report.report_app, name="report")
app.command()(reports_errors(events.timeline))
for name, events_command in (
    ("list", events.list_events),
    ("show", events.show),
    ("correct", events.correct),
):
    events.events_app.command(name)(reports_errors(events_command))
app.add_typer(events.events_app, name="events")
app.command()(reports_errors(web.serve))
for name, users_command in (("add", web.add), ("list", web.list_users), ("passwd", web.passwd)):
    web.users_app.command(name)(reports_errors(users_command))
app.add_typer(web.users_app, name="users")


def main() -> None:
    interrupts.install()
    app()
