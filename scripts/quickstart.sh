#!/usr/bin/env bash
# Installs, migrates, starts every service, loads demo data and prints where to reach it.
# Extra arguments go to the start script: --detach, --customers N, --months N, --no-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
bash scripts/ensure-services.sh
pnpm run --silent start:all "$@"
