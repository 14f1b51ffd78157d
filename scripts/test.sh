#!/usr/bin/env bash
# Installs what the project needs and runs the whole test suite; the last line is `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
bash scripts/ensure-services.sh
pnpm run --silent test
