# The image docker-compose.yml runs (see docs/deployment.md): Marsad on Python 3.11.
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .
ENV MARSAD_HOME=/data
VOLUME ["/data"]
CMD ["marsad", "--help"]
