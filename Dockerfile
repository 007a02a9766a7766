# syntax=docker/dockerfile:1
# Build the wheel in one stage, run it in a slim one as an unprivileged user.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY schemas schemas
COPY store store
COPY ingest ingest
COPY watch watch
COPY sensors sensors
COPY labels labels
COPY api api
COPY farmtrace farmtrace
# Every dependency at the version the test suite passed with (constraints.txt).
RUN pip wheel --no-cache-dir --constraint constraints.txt --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
# The CJK font renders Chinese product names into PDF label sheets.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*.whl && rm -rf /wheels
RUN useradd --create-home --uid 10001 farmtrace \
    && mkdir /broker-config /demo && chown farmtrace /broker-config /demo
# Named volumes mounted on these folders start out owned by the unprivileged user.
USER farmtrace
WORKDIR /home/farmtrace
ENV PYTHONUNBUFFERED=1
EXPOSE 8000 9100
# One worker process per core the container may use; FARMTRACE_API_WORKERS sets another number.
CMD ["farmtrace", "api", "--host", "0.0.0.0", "--port", "8000"]
