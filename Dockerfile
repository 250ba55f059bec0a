FROM python:3.11-slim

RUN useradd --create-home --uid 10001 cloudtuner
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY core ./core
COPY webconsole ./webconsole
COPY jobs ./jobs
COPY config ./config
RUN pip install --no-cache-dir . && mkdir /data && chown cloudtuner /data

ENV CLOUDTUNER_DATA_DIR=/data \
    CLOUDTUNER_HOST=0.0.0.0 \
    CLOUDTUNER_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
USER cloudtuner
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=3)"
CMD ["cloudtuner", "serve"]
