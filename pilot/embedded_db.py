"""An embedded PostgreSQL for development machines without DATABASE_URL.

`pgserver` ships PostgreSQL binaries; the cluster lives under `.data/pg` and keeps
running between commands. It has no contrib extensions, so the schema needs none.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "pilot"


def database_url(data_dir: Path) -> str:
    # pgserver asks platformdirs for a runtime directory it does not use here
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)  # a fresh clone has no .data/ yet
    server = pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    # DATABASE_NAME is a constant of this module, never input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = quote(str(data_dir / "pg"), safe="")
    return f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"


def stop(data_dir: Path) -> None:
    """Stop the embedded PostgreSQL, if it runs (`make run` does this when it ends)."""
    pgdata = data_dir / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from pgserver._commands import pg_ctl  # pgserver's own pg_ctl binary (pinned <0.2)

    # as root, pgserver runs PostgreSQL as its own user "pgserver", and pg_ctl must be that user
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)


if __name__ == "__main__":
    import sys

    DATA = Path(__file__).resolve().parent.parent / ".data"
    if sys.argv[1:] == ["stop"]:
        stop(DATA)
    else:
        print(database_url(DATA))
