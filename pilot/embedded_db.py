"""An embedded PostgreSQL for development machines without DATABASE_URL.

`pgserver` ships PostgreSQL binaries; the cluster lives under `.data/pg` and keeps
running between commands. It has no contrib extensions, so the schema needs none.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "pilot"


def database_url(data_dir: Path) -> str:
    import pgserver

    server = pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    # DATABASE_NAME is a constant of this module, never input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = quote(str(data_dir / "pg"), safe="")
    return f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"


if __name__ == "__main__":
    print(database_url(Path(__file__).resolve().parent.parent / ".data"))
