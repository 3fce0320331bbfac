"""What every CLI command receives: parsed globals and a lazily opened store."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.i18n import _

if TYPE_CHECKING:
    from desktop.services.app import AppServices, Store

USER_ENV = "COMPLAINT_DESK_USER"
PASSWORD_ENV = "COMPLAINT_DESK_PASSWORD"


class CliError(Exception):
    """A failure the user can act on; printed as one line on stderr, exit code 2."""


@dataclass
class CliContext:
    db_url: str | None
    user_login: str | None
    as_json: bool
    password_file: Path | None = None
    _store: Store | None = field(default=None, repr=False)
    _services: AppServices | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The opened (migrated) store, nobody signed in yet: for ``setup`` and ``passwd``."""
        if self._store is None:
            from desktop.services.app import Store

            self._store = Store.open(self.db_url)
        return self._store

    def login(self) -> str:
        from desktop.services.users import default_login

        return self.user_login or os.environ.get(USER_ENV) or default_login()

    def password(self, login: str) -> str:
        """From ``--password-file``, ``COMPLAINT_DESK_PASSWORD`` or a no-echo prompt on a terminal."""
        if self.password_file is not None:
            return read_secret_file(self.password_file)
        if PASSWORD_ENV in os.environ:
            return os.environ[PASSWORD_ENV]
        if sys.stdin.isatty():
            return getpass.getpass(_("Password for {login}: ").format(login=login))
        raise CliError(_("Sign-in needs a password: use --password-file FILE or set {env} (scripts), "
                         "or run the command in a terminal to be asked.").format(env=PASSWORD_ENV))

    def services(self) -> AppServices:
        """Open the store and sign in on first use; commands that need no database never pay."""
        if self._services is None:
            from desktop.services.identity import SignInError

            store = self.store()
            login = self.login()
            try:
                services = store.sign_in(login, self.password(login))
            except SignInError as error:
                raise CliError(str(error)) from None
            if services.actor.must_change_password:
                raise CliError(_("{login} must choose a new password before anything else: run "
                                 "“complaint-desk passwd”.").format(login=login))
            self._services = services
        return self._services

    def emit(self, payload: Any, text: str | None = None) -> None:
        """Print JSON when ``--json`` was given, otherwise the human-readable text."""
        if self.as_json or text is None:
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(text.rstrip("\n") + "\n")

    def close(self) -> None:
        self._services = None
        if self._store is not None:
            self._store.close()
            self._store = None


def read_secret_file(path: Path) -> str:
    """A password kept in a file: its first line, without the line break."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CliError(_("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise CliError(_("{path} is empty; put the password on its first line.").format(path=path))
    return lines[0]
