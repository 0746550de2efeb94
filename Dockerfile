# The gongjian API. Stateless: point GONGJIAN_DB at Neo4j (or FalkorDB) and scale out.
# Installed as tests/package/test_wheel.py installs it: the wheel alone, built from the
# runtime packages, its pinned dependencies from the index, no source tree in the image.
FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY access ./access
COPY app ./app
COPY divisions ./divisions
COPY domain ./domain
COPY graph ./graph
COPY loaders ./loaders
COPY matching ./matching
COPY resolvers ./resolvers
COPY schema ./schema
RUN pip wheel --no-deps --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 libssl3 curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 gongjian
COPY --from=wheel /wheels/*.whl /tmp/wheels/
RUN pip install --no-cache-dir /tmp/wheels/gongjian-*.whl && rm -rf /tmp/wheels

USER gongjian
WORKDIR /home/gongjian
ENV GONGJIAN_HOST=0.0.0.0 GONGJIAN_PORT=8000 GONGJIAN_DB=embedded:/home/gongjian/data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gongjian", "serve"]
