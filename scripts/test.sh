#!/usr/bin/env bash
# Installs what the project needs and runs the whole test suite; the last line is `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
bash scripts/ensure-services.sh
bash scripts/ensure-chromium.sh || echo "without Chromium the browser tests will fail" >&2
pnpm run --silent test
