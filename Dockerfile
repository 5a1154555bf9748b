# Parley in a container: compiled JavaScript on the current Node.js LTS (26), run by plain `node`.
# (The code also runs on Node 20.19+ and 22, which is what CI uses; see "Supported Node.js versions".)
# Build stage: the toolchain better-sqlite3 compiles with, the web client and the server bundle.
FROM node:26-trixie-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends g++ make python3 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY server/package.json server/
COPY web/package.json web/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
# web/dist and server/dist; then the build tools (vite, esbuild, tsx, TypeScript) are dropped.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: no compilers; the built tree, owned by the unprivileged `node` user of the image.
FROM node:26-trixie-slim
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
# The SQLite file, uploads and the generated secrets (single node), or nothing much with PostgreSQL.
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node itself, not npm: signals reach the server directly and no npm process sits beside it. As `npm
# start`, no source maps at run time (~7 MB of an idle node); set NODE_OPTIONS=--enable-source-maps to
# have stack traces name the TypeScript sources. V8's young generation held to 2 MB semi-spaces and
# glibc to 2 malloc arenas took idle RSS under 100 MB but cost ingest 15-20% (bench/results.md,
# 2026-12-02): not set.
CMD ["node", "server/dist/main.js"]
