# Ship's container image. Build: docker build -t ship .
# Run:   docker run -p 3000:3000 --env-file .env -v ship-data:/data ship
# With no DATABASE_URL, Ship keeps an embedded PostgreSQL in the /data volume.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 SHIP_DATA_DIR=/data LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
# /app itself belongs to the user so the register-the-app flow can write /app/.env.
RUN mkdir -p /data && chown node:node /data /app
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Ship stops gracefully on SIGTERM (SHIP_SHUTDOWN_GRACE, default 8 s): give it ~25 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
