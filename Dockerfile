# One image for every service; docker-compose.yml picks the entry point per container.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY lib lib
COPY gateway gateway
COPY subgraphs subgraphs
COPY scripts scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY schema schema
# Files the gateway serves or reads beside its compiled code: the dashboard, the explorer and its examples.
COPY gateway/dashboard gateway/dashboard
COPY gateway/explorer gateway/explorer
COPY docs/examples docs/examples
USER node
CMD ["node", "dist/gateway/main.js"]
