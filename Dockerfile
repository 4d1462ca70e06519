# The portal's image for the stack (docker-compose.yml): web (gunicorn), worker and
# beat (Celery) and the one-shot migrate all run it with different commands.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# gettext: the French catalogue; Pango, HarfBuzz and DejaVu fonts: WeasyPrint's PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install -e . \
    && (python manage.py compilemessages -v0 --ignore=.venv || echo "using the committed catalogue")
# Not root: the media and static volumes take these owners when first mounted.
RUN useradd --system --uid 1000 --home-dir /app portal \
    && mkdir -p /app/media /app/staticfiles && chown portal:portal /app/media /app/staticfiles
USER portal
EXPOSE 8000
# --timeout: see "Request time and long work" in the README.
CMD ["gunicorn", "pompidou.wsgi", "--bind", "0.0.0.0:8000", "--timeout", "60", "--access-logfile", "-"]
