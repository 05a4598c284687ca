# One image for every Linli role; the command picks the role:
#   python -m services.eldercare.api                       a service's gRPC api (port 50051)
#   python -m linli.kit.workers services.eldercare.worker  a service's Nameko worker (no port)
#   python -m gateway                                      the HTTP gateway (port 8080)
# Build: docker build -t linli:dev .

# Both stages use one Python patch release, of the version requirements.lock is made for: bump them together.
FROM python:3.11.16-slim-trixie AS build
# Everything in requirements.lock ships as a binary wheel for CPython 3.11 on amd64 and arm64, so this
# stage needs no compiler; --only-binary makes a missing wheel fail the build instead of compiling.
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/linli
COPY requirements.lock /tmp/requirements.lock
# Test tools (pytest, the browser driver) and the embedded development database (SecantusDB, a separate
# server run only by `make run` and the tests) stay out of the image.
RUN grep -v -i -E '^(secantusdb|pytest|pytest-timeout|playwright)==' /tmp/requirements.lock > /tmp/runtime.lock \
 && /opt/linli/bin/pip install --only-binary=:all: -r /tmp/runtime.lock \
 && /opt/linli/bin/pip uninstall --yes pip

FROM python:3.11.16-slim-trixie
# Volunteer certificates are PDFs in Chinese: the smallest CJK font Debian ships (about 5 MB). Its version
# is the one the pinned trixie base image's archive carries.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install --yes --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
# A fixed high uid/gid, matching the pods' securityContext (runAsUser: 10001).
RUN groupadd --system --gid 10001 linli \
 && useradd --system --uid 10001 --gid linli --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin linli
COPY --from=build /opt/linli /opt/linli
# The source as it is in the repository (no wheel build), so files beside the code come along too.
WORKDIR /app
COPY linli ./linli
# The development tools ride along: compose makes the clinic's partner certificates with linli_dev.partner_ca.
COPY linli_dev ./linli_dev
COPY services ./services
COPY gateway ./gateway
# Compiled now, because the root filesystem is read-only when it runs.
RUN /opt/linli/bin/python -m compileall -q /app
ENV PATH=/opt/linli/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ELDERCARE_API_ADDR=0.0.0.0:50051 \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8080 \
    LINLI_DEV_ISSUER_DIR=/tmp/dev-issuer
USER 10001:10001
EXPOSE 50051 8080
# Knows each role from PID 1's command line: gRPC health, GET /healthz, or the worker's heartbeat file.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "linli.kit.probe"]
CMD ["python", "-m", "gateway"]
