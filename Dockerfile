FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and HarfBuzz; gettext compiles the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CSR_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_DEBUG=true python manage.py compilemessages -v0 --ignore=var \
 && DJANGO_DEBUG=true python manage.py collectstatic --no-input -v0 \
 && useradd --system --home /app csr && mkdir -p /data && chown csr /data
USER csr
EXPOSE 8000
CMD ["gunicorn", "csrprogram.wsgi", "-c", "python:csrprogram.gunicorn_conf"]
