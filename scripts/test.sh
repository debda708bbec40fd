#!/usr/bin/env bash
# Runs the whole test suite, first installing what the tests need when it is missing:
# - PostgreSQL server binaries: the core suite runs on SQLite and on a real PostgreSQL that the
#   tests start themselves with initdb/pg_ctl on 127.0.0.1;
# - Chromium and chromedriver: the inbox and web chat are tested in a real headless browser
#   (plus a CJK font, so that screenshots of the Chinese interface are legible);
# - Dovecot (IMAP with IDLE, submission, LMTP) and Python's aiosmtpd: the email channel is
#   tested against real mail servers on 127.0.0.1 (tests/support/mail/mail-peer.sh);
# - schemathesis (PyPI): the API is fuzzed against its OpenAPI document;
# - anvil (npm @foundry-rs/anvil, into .tools/): transaction lookups are tested on a real local
#   EVM chain (tests/support/chain.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() {
  command -v psql >/dev/null 2>&1 || return 1
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

install_packages() {
  local as_root=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "test.sh: need root (or sudo) to install: $*" >&2; exit 1; }
    as_root=(sudo -n)
  fi
  # Debian's postinst scripts would start system-wide services; the tests run their own.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${as_root[@]}" chmod +x /usr/sbin/policy-rc.d
    guard=1
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@"
  if [ -n "$guard" ]; then "${as_root[@]}" rm -f /usr/sbin/policy-rc.d; fi
}

packages=()
have_postgres || packages+=(postgresql postgresql-client)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || packages+=(fonts-wqy-zenhei)
[ -x /usr/sbin/dovecot ] || packages+=(dovecot-imapd dovecot-lmtpd dovecot-submissiond)
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || packages+=(python3-aiosmtpd)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# libfaketime moves the server's wall clock an hour while it runs (tests/clock_jump.rs).
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || packages+=(faketime)
if [ ${#packages[@]} -gt 0 ]; then
  echo "test.sh: installing ${packages[*]}"
  install_packages "${packages[@]}"
fi

# schemathesis (PyPI) checks the running server against its OpenAPI document (tests/openapi.rs).
# The tests run it as `python3 -m schemathesis.cli`, so no script directory needs to be on PATH.
if ! python3 -c "import schemathesis" >/dev/null 2>&1; then
  echo "test.sh: installing schemathesis"
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi

# anvil, a local EVM node; npm ships the binary for this platform in a package of its own.
if ! compgen -G ".tools/node_modules/@foundry-rs/anvil-*/bin/anvil" >/dev/null; then
  echo "test.sh: installing anvil"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "@foundry-rs/anvil@1.7.1"
fi

# On a fresh machine incremental caches only cost disk (they double the size of the build).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

# One test process per test binary (cargo test), so each binary shares one PostgreSQL server.
exec cargo test --workspace --locked "$@"
