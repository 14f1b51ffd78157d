# syntax=docker/dockerfile:1.7
#
# One image per service, chosen at build time:
#   docker build --build-arg SERVICE=profiles --build-arg PORT=8081 -t enhanced-crm/profiles:0.1.0 .
# SERVICE is the package name without its scope: gateway, profiles, interactions, notes-tasks,
# comms, segments, automation, analytics, or simulator. The image starts the service with
# `node dist/main.js` and applies its migrations with `node dist/migrate.js`.

# The same Node 24 release line as the `node` dev dependency that development runs on.
ARG NODE_IMAGE=node:24.20.0-trixie-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
ARG PNPM_VERSION=12.21.0
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<service>' >&2; exit 1; }
# Corepack would fetch pnpm through its own signature check; npm is simpler and pinned.
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
ENV CI=true
WORKDIR /src

# The lockfile alone fills the store, so this layer is rebuilt only when dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm fetch --store-dir /pnpm/store

COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store
# Libraries first (the `...` selects the service and everything it depends on); each service's
# build copies its migrations SQL next to the compiled code.
RUN pnpm --filter "@crm/${SERVICE}..." run build
# A self-contained folder: the service's `files`, its production dependencies, and the
# workspace libraries copied in (not linked), resolving to their built dist/.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm --filter "@crm/${SERVICE}" deploy --prod --store-dir /pnpm/store /out
# The gateway also serves the staff console (CONSOLE_DIR=/app/console): static files built here.
RUN if [ "${SERVICE}" = gateway ]; then \
      pnpm --filter @crm/console run build && cp -r apps/console/dist /out/console; \
    fi

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
# Only documents the port; each service listens on its own default (gateway 8080,
# profiles 8081 ... analytics 8087) unless PORT is set at run time.
ARG PORT=8080
LABEL org.opencontainers.image.title="enhanced-crm-${SERVICE}" \
      org.opencontainers.image.description="Enhanced CRM for BookingX: ${SERVICE}"
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the `node` user: the process cannot rewrite its own code.
COPY --from=build /out /app
USER node
EXPOSE ${PORT}
# node is PID 1 and receives SIGTERM itself; the services drain and exit on it. The preload
# starts tracing before any module loads when OTEL_ENABLED=true, and does nothing otherwise.
CMD ["node", "--import", "@crm/service-kit/telemetry", "dist/main.js"]
