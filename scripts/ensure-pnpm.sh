#!/usr/bin/env bash
# pnpm 12 runs the project's scripts; Node 24 comes with `pnpm install` (the `node` dev dependency).
set -euo pipefail
want=12.21.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "installing pnpm $want"
  npm install -g "pnpm@$want" >/dev/null
fi
