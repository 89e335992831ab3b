"""Local accounts: names, Argon2 password hashes, roles, and login throttling.

Why a SQLite file beside the warehouse (`<wh>/accounts.sqlite`, or $PINGAN_ACCOUNTS) and
not a file in the project: passwords never go into git, and several dashboard processes
must agree on failed attempts (five in a row lock an account for a minute) — SQLite's
locking gives that for free. Only hashes are stored (argon2-cffi, its default
parameters); a hash made with older parameters is upgraded at the next good login.

    python -m dashboard.accounts add NAME --role editor     # asks for the password twice
    python -m dashboard.accounts list | remove NAME | passwd NAME | role NAME ROLE

`--password-stdin` reads the password from standard input (for scripts and tests).
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from etl import config

ROLES = ("viewer", "editor", "admin")
FILE = "accounts.sqlite"
ENV = "PINGAN_ACCOUNTS"
MAX_FAILURES = 5
LOCK_SECONDS = 60
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@+-]{1,64}$")
_HASHER = PasswordHasher()

_DDL = """
CREATE TABLE IF NOT EXISTS accounts (
    name          TEXT PRIMARY KEY,
    hash          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at    TEXT NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  REAL NOT NULL DEFAULT 0
);
"""


class AccountError(ValueError):
    """A request about accounts that cannot be done; str() says which account and why."""


class Locked(AccountError):
    def __init__(self, name: str, seconds: int):
        super().__init__(f"{name}: locked after {MAX_FAILURES} failed sign-ins; try again in {seconds} s")
        self.seconds = seconds


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: str
    locked_for: int  # seconds left, 0 when not locked


def accounts_path(wh=None) -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    return Path(wh or config.warehouse_dir()) / FILE


def _connect(path: Path, create: bool) -> sqlite3.Connection | None:
    if not create and not path.is_file():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 30000")
    if create:
        con.execute("PRAGMA journal_mode = WAL")
        con.executescript(_DDL)
        try:
            os.chmod(path, 0o600)
        except OSError:  # pragma: no cover
            pass
    return con


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountError(f"{name!r}: a name is 1-64 letters, digits or . _ @ + -")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
    return role


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    return password


def list_accounts(path: Path) -> list[Account]:
    con = _connect(path, create=False)
    if con is None:
        return []
    try:
        rows = con.execute("SELECT name, role, created_at, locked_until FROM accounts ORDER BY name").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()
    now = time.time()
    return [Account(n, r, c, max(0, int(round(u - now)))) for n, r, c, u in rows]


def any_accounts(path: Path) -> bool:
    return bool(list_accounts(path))


def add(path: Path, name: str, password: str, role: str) -> Account:
    name, role = _check_name(name), _check_role(role)
    h = _HASHER.hash(_check_password(password))
    con = _connect(path, create=True)
    try:
        try:
            con.execute("INSERT INTO accounts (name, hash, role, created_at) VALUES (?, ?, ?, ?)",
                        (name, h, role, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
        except sqlite3.IntegrityError:
            raise AccountError(f"{name}: an account of this name exists") from None
    finally:
        con.close()
    return next(a for a in list_accounts(path) if a.name == name)


def _update(path: Path, name: str, sql: str, params: tuple) -> None:
    con = _connect(path, create=False)
    if con is None:
        raise AccountError(f"{name}: no such account ({path} has none)")
    try:
        cur = con.execute(sql, params + (name,))
        if cur.rowcount == 0:
            raise AccountError(f"{name}: no such account")
    finally:
        con.close()


def remove(path: Path, name: str) -> None:
    _update(path, name, "DELETE FROM accounts WHERE name = ?", ())


def set_password(path: Path, name: str, password: str) -> None:
    h = _HASHER.hash(_check_password(password))
    _update(path, name, "UPDATE accounts SET hash = ?, failures = 0, locked_until = 0 WHERE name = ?", (h,))


def set_role(path: Path, name: str, role: str) -> None:
    _update(path, name, "UPDATE accounts SET role = ? WHERE name = ?", (_check_role(role),))


def authenticate(path: Path, name: str, password: str) -> Account:
    """The account when the password is right; AccountError (or Locked) otherwise.

    Throttling counts failures per account in the file, so it holds across processes;
    an unknown name costs one hash too, so timing does not tell names apart.
    """
    name = (name or "").strip()
    con = _connect(path, create=False)
    if con is None:
        raise AccountError("unknown name or wrong password")
    try:
        con.execute("BEGIN IMMEDIATE")
        row = con.execute("SELECT hash, role, created_at, failures, locked_until FROM accounts "
                          "WHERE name = ?", (name,)).fetchone()
        now = time.time()
        if row is None:
            con.execute("ROLLBACK")
            try:
                _HASHER.verify(_DUMMY_HASH, password or "")
            except VerificationError:
                pass
            raise AccountError("unknown name or wrong password")
        h, role, created, failures, locked_until = row
        if locked_until > now:
            con.execute("ROLLBACK")
            raise Locked(name, max(1, int(round(locked_until - now))))
        try:
            _HASHER.verify(h, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            failures = (failures if locked_until == 0 or locked_until > now else 0) + 1
            lock = now + LOCK_SECONDS if failures >= MAX_FAILURES else 0
            con.execute("UPDATE accounts SET failures = ?, locked_until = ? WHERE name = ?",
                        (0 if lock else failures, lock, name))
            con.execute("COMMIT")
            if lock:
                raise Locked(name, LOCK_SECONDS) from None
            raise AccountError("unknown name or wrong password") from None
        new_hash = _HASHER.hash(password) if _HASHER.check_needs_rehash(h) else h
        con.execute("UPDATE accounts SET failures = 0, locked_until = 0, hash = ? WHERE name = ?",
                    (new_hash, name))
        con.execute("COMMIT")
        return Account(name, role, created, 0)
    finally:
        con.close()


_DUMMY_HASH = _HASHER.hash("not a password of anyone")


# ------------------------------------------------------------------ command line

def _read_password(args, confirm: bool = True) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if confirm and getpass.getpass("again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.accounts",
                                     description="Local accounts of the dashboard (Argon2 hashes).")
    parser.add_argument("--warehouse", metavar="DIR", help="warehouse folder (accounts.sqlite lives there; "
                        f"${ENV} overrides the file)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("add", help="add an account")
    p.add_argument("name")
    p.add_argument("--role", default="viewer", choices=ROLES)
    p.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list", help="list accounts")
    p = sub.add_parser("remove", help="remove an account")
    p.add_argument("name")
    p = sub.add_parser("passwd", help="set a new password (also unlocks)")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true")
    p = sub.add_parser("role", help="change an account's role")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    args = parser.parse_args(argv)
    path = accounts_path(config.warehouse_dir(args.warehouse))
    try:
        if args.cmd == "add":
            a = add(path, args.name, _read_password(args), args.role)
            print(f"added {a.name} ({a.role}) to {path}")
        elif args.cmd == "list":
            accounts = list_accounts(path)
            if not accounts:
                print(f"{path}: no accounts (the dashboard runs open on localhost only)")
            for a in accounts:
                lock = f"  locked {a.locked_for} s" if a.locked_for else ""
                print(f"{a.name}\t{a.role}\t{a.created_at}{lock}")
        elif args.cmd == "remove":
            remove(path, args.name)
            print(f"removed {args.name}")
        elif args.cmd == "passwd":
            set_password(path, args.name, _read_password(args))
            print(f"password of {args.name} changed")
        elif args.cmd == "role":
            set_role(path, args.name, args.role)
            print(f"{args.name} is now {args.role}")
    except AccountError as exc:
        print(f"accounts: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
