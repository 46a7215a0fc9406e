"""`tracker user ...`: local accounts (when the regions' single sign-on is not configured)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from ledger import access

from . import services

app = typer.Typer(help="Local user accounts and their roles.", no_args_is_help=True)

UserOption = Annotated[
    Optional[str], typer.Option("--user", envvar="TRACKER_USER", help="Act as this user (needed once users exist).")
]
DatabaseOption = Annotated[
    Optional[str], typer.Option("--database", envvar="TRACKER_DATABASE_URL", help="SQLAlchemy URL.")
]


def acting(engine, user: str | None) -> access.Actor:
    try:
        return access.actor_named(engine, user)
    except access.Forbidden as exc:
        typer.echo(f"{exc}", err=True)
        raise typer.Exit(1) from exc


def _read_password() -> str:
    """From standard input, never an argument (arguments show in process lists and shell history)."""
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


def _run(action, *args) -> None:
    try:
        action(*args)
    except (access.Forbidden, ValueError) as exc:
        typer.echo(f"{exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("add")
def add(
    name: str,
    role: Annotated[str, typer.Option(help="læser, forhandler, økonomi or administrator (or reader, negotiator, finance, admin).")],
    sso: Annotated[bool, typer.Option("--sso", help="Signs in only through single sign-on: no password.")] = False,
    user: UserOption = None,
    database: DatabaseOption = None,
):
    """Add a user; the password is read from standard input."""
    engine = services.open_ledger(database)
    actor = acting(engine, user)
    _run(access.add_user, engine, actor, name, role, None if sso else _read_password())
    typer.echo(f"Added {name} as {access.ROLES[access.role_code(role)]}.")


@app.command("list")
def list_(user: UserOption = None, database: DatabaseOption = None):
    """Every user with role and state."""
    engine = services.open_ledger(database)
    _run(access.require, acting(engine, user), "administer", "list users", engine)
    for row in access.users(engine):
        state = "disabled" if row["disabled"] else "active"
        typer.echo(f"{row['name']}\t{access.ROLES[row['role']]}\t{state}")


@app.command("disable")
def disable(name: str, user: UserOption = None, database: DatabaseOption = None):
    """Stop a user from signing in (the journal keeps what they did)."""
    engine = services.open_ledger(database)
    _run(access.disable, engine, acting(engine, user), name)
    typer.echo(f"Disabled {name}.")


@app.command("set-role")
def set_role(name: str, role: str, user: UserOption = None, database: DatabaseOption = None):
    """Give a user another role."""
    engine = services.open_ledger(database)
    _run(access.set_role, engine, acting(engine, user), name, role)
    typer.echo(f"{name} is now {access.ROLES[access.role_code(role)]}.")
