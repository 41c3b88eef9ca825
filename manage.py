#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrprogram.settings")
    # Commands a developer types (makemigrations, shell, runserver) run in development mode
    # unless told otherwise; the web server (WSGI) and Celery default to production, and the
    # production topology sets DJANGO_DEBUG=false for every service explicitly.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
