"""gunicorn settings for production (docker-compose.yml and the Dockerfile pass ``-c``).

The access log goes to stdout with personal data redacted (csrprogram/gunicorn_logging.py).
"""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "csrprogram.gunicorn_logging.RedactingLogger"
