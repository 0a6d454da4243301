# Samverkan API: slim Python 3.11, hash-pinned install, non-root, migrations then uvicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SAMVERKAN_ENVIRONMENT=production \
    SAMVERKAN_VAR_DIR=/srv/samverkan/var

WORKDIR /srv/samverkan
COPY requirements-build.txt requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements-build.txt -r requirements.txt

COPY pyproject.toml alembic.ini README.md ./
COPY app ./app
COPY migrations ./migrations
COPY openapi ./openapi
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . \
 && useradd --system --uid 10001 --home-dir /srv/samverkan samverkan \
 && mkdir -p var && chown samverkan var

USER samverkan
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"

# Configured by the environment: DATABASE_URL, SAMVERKAN_SECRET_KEY (required), WEB_CONCURRENCY, FORWARDED_ALLOW_IPS …
# Migrations take a PostgreSQL advisory lock, so several replicas may start at once.
# uvloop and httptools by name (uvicorn[standard]): an image that lost them fails at start instead of serving slowly.
CMD ["sh", "-c", "samverkan db upgrade && exec samverkan serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2} --loop uvloop --http httptools"]
