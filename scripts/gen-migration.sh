#!/usr/bin/env bash
# Generates a migration for one service from its db/schema.ts: scripts/gen-migration.sh profiles add_tags
set -euo pipefail
service=${1:?service name}
name=${2:?migration name}
cd "$(dirname "$0")/../services/$service"
NODE_OPTIONS=--conditions=source ../../node_modules/.bin/drizzle-kit generate --name "$name"
# The migrate command creates the schema before drizzle's journal table; keep the SQL re-runnable.
sed -i 's/^CREATE SCHEMA "\([a-z_]*\)";/CREATE SCHEMA IF NOT EXISTS "\1";/' src/db/migrations/*.sql
