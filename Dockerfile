# The gongjian API. Stateless: point GONGJIAN_DB at Neo4j (or FalkorDB) and scale out.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 libssl3 curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 gongjian
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
COPY domain ./domain
COPY divisions ./divisions
COPY graph ./graph
COPY loaders ./loaders
COPY matching ./matching
COPY resolvers ./resolvers
COPY schema ./schema
COPY access ./access
COPY demo ./demo
RUN pip install --no-cache-dir '.[matching]'

USER gongjian
ENV GONGJIAN_HOST=0.0.0.0 GONGJIAN_PORT=8000 GONGJIAN_DB=embedded:/home/gongjian/data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gongjian", "serve"]
