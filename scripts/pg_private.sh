#!/usr/bin/env bash
# A private PostgreSQL instance for the tests: its own data folder (mktemp) and port on
# 127.0.0.1, stopped and removed when the sourcing shell exits. Source it:
#   source scripts/pg_private.sh     # exports KYC_PG_URL (postgres://kyc@127.0.0.1:<port>/kyc)
#                                    # and KYC_PG_STORAGE_URL (.../kyc_storage)
# Uses the PostgreSQL binaries on PATH or Debian's (/usr/lib/postgresql/<version>/bin), and
# installs Debian's `postgresql` package only when neither is there.
set -euo pipefail

kyc_pg_bin=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  # The real folder (PATH may hold links to a few of the binaries only).
  kyc_pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"
else
  kyc_pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$kyc_pg_bin" ] || [ ! -x "$kyc_pg_bin/initdb" ]; then
    echo "pg: installing Debian's postgresql (once)" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    kyc_pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
fi

kyc_pg_dir="$(mktemp -d -t kyc-pg-XXXXXX)"
kyc_pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# PostgreSQL refuses to run as root: as root, the instance runs as the `postgres` user (Debian's
# package makes it; created here otherwise).
kyc_pg_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$kyc_pg_dir"
  kyc_pg_as=(runuser -u postgres --)
fi
"${kyc_pg_as[@]}" "$kyc_pg_bin/initdb" -D "$kyc_pg_dir/data" -U kyc -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${kyc_pg_as[@]}" "$kyc_pg_bin/pg_ctl" -D "$kyc_pg_dir/data" -l "$kyc_pg_dir/log" -w -o \
  "-p $kyc_pg_port -k $kyc_pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
kyc_pg_stop() {
  "${kyc_pg_as[@]}" "$kyc_pg_bin/pg_ctl" -D "$kyc_pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$kyc_pg_dir"
}
trap kyc_pg_stop EXIT
"$kyc_pg_bin/createdb" -h 127.0.0.1 -p "$kyc_pg_port" -U kyc kyc
export KYC_PG_URL="postgres://kyc@127.0.0.1:$kyc_pg_port/kyc"
# A second database for the storage tests: they seal sessions under their own key, which the
# console (sealing under its key file) would refuse to load from a shared one.
"$kyc_pg_bin/createdb" -h 127.0.0.1 -p "$kyc_pg_port" -U kyc kyc_storage
export KYC_PG_STORAGE_URL="postgres://kyc@127.0.0.1:$kyc_pg_port/kyc_storage"
echo "pg: private PostgreSQL $("$kyc_pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$kyc_pg_port ($kyc_pg_dir)" >&2
