"""`marsad serve` (the web workbench) and `marsad users add|list|passwd` (its accounts)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from marsad.cli.console import console

WORKER_APP = "marsad.web.app:app_from_environment"
users_app = typer.Typer(
    help="Accounts of the web workbench: add, list, passwd.", no_args_is_help=True
)
RoleOption = Annotated[str, typer.Option("--role", help="admin, analyst or viewer.")]
StdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The password to set, and whether it was generated (and so must be shown)."""
    from marsad.web.accounts import generate_password

    if from_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return generate_password(), True


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes sharing the port (about one per core); sessions live in "
            "the database, so any process answers any request.",
        ),
    ] = 1,
) -> None:
    """Serve the web workbench and its API; creates the first admin on first start."""
    import uvicorn

    from marsad.web.accounts import ensure_first_admin
    from marsad.web.app import create_app
    from marsad.workspace import Workspace

    workspace = Workspace.open()
    with workspace.database.session() as session:
        first = ensure_first_admin(session)
    console.print(f"Marsad web workbench: http://{host}:{port}/", markup=False)
    if first is not None:
        console.print(
            f"first admin created — user: {first.username}  password: {first.password}\n"
            "(shown once; only its hash is stored. Change it with `marsad users passwd admin`.)",
            markup=False,
        )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "proxy_headers": True,
        "server_header": False,
    }
    try:
        if workers == 1:
            uvicorn.run(create_app(workspace), **options)
        else:
            # Each process opens its own workspace from the same settings (environment).
            workspace.close()
            uvicorn.run(WORKER_APP, factory=True, workers=workers, **options)
    finally:
        workspace.close()


def add(
    username: Annotated[str, typer.Argument(help="User name (a-z, 0-9, . _ - @).")],
    role: RoleOption = "analyst",
    password_stdin: StdinOption = False,
) -> None:
    """Create an account; its password is generated and printed once (or read from stdin)."""
    from marsad.store.models import AuditLog
    from marsad.web.accounts import create_user
    from marsad.workspace import Workspace

    password, generated = _password(password_stdin)
    with Workspace.open() as workspace, workspace.database.session() as session:
        user = create_user(session, username, password, role)
        session.add(
            AuditLog(
                action="users.add",
                target_kind="user",
                target_id=str(user.id),
                details={"username": user.username, "role": role, "by": "cli"},
            )
        )
    console.print(f"added {role} {user.username}", markup=False)
    if generated:
        console.print(f"password: {password}  (shown once)", markup=False)


def list_users() -> None:
    """The accounts: name, role, state, creation date."""
    from sqlalchemy import select

    from marsad.store.models import User
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        users = session.scalars(select(User).order_by(User.username)).all()
    table = Table("user", "role", "state", "created")
    for user in users:
        table.add_row(
            user.username,
            user.role,
            "disabled" if user.disabled else "active",
            user.created_at.strftime("%Y-%m-%d"),
        )
    console.print(table)


def passwd(
    username: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: StdinOption = False,
) -> None:
    """Set a new password (generated and printed once, or read from stdin); signs the user out."""
    password, generated = _password(password_stdin)
    from marsad.store.models import AuditLog, WebSession
    from marsad.web.accounts import named_user, set_password
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        user = named_user(session, username)
        set_password(user, password)
        session.query(WebSession).filter(WebSession.user_id == user.id).delete()
        session.add(
            AuditLog(
                action="users.passwd",
                target_kind="user",
                target_id=str(user.id),
                details={"username": user.username, "by": "cli"},
            )
        )
    console.print(f"new password set for {user.username}", markup=False)
    if generated:
        console.print(f"password: {password}  (shown once)", markup=False)
