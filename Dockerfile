# syntax=docker/dockerfile:1
# Một cửa + Zalo: the compiled server and the built officer app on Node 24, run as the unprivileged `node`
# user. Build: `docker build -t motcua-zalo .` (Podman: `podman build --format docker …`, which keeps the
# HEALTHCHECK). Run with deploy/compose.yaml, or alone:
#   docker run -e DATABASE_URL=postgres://… -e SESSION_SECRET=… -p 3000:3000 motcua-zalo [--role=web|worker]
# See docs/deployment.md.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Every dependency, then `npm run build`: dist/ (the server as JavaScript) and web/dist (the app).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
RUN npm run build

# 2. Only what runs: no development tools, no optional packages (the embedded PostgreSQL binaries: a
#    container uses DATABASE_URL; pdf.js's canvas).
FROM ${NODE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
USER node
EXPOSE 3000
# Ready = the web role answers and reaches PostgreSQL. A worker-only container has no HTTP port: compose.yaml
# gives it its own check.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself is PID 1 and handles SIGTERM: requests, sends and jobs in flight finish before it exits.
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
CMD []
