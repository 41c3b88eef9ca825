"""The Celery application. Configuration comes from Django settings under the CELERY_ prefix.

Tasks are discovered in every installed app's ``tasks.py``.
"""

import os

from celery import Celery, Task
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrprogram.settings")


class DurableTask(Task):
    """Base for our tasks: late acknowledgement and a capped retry on named transient errors.

    Subclasses (or ``@app.task(autoretry_for=...)``) name the transient errors; domain errors are
    never retried.
    """

    acks_late = True
    reject_on_worker_lost = True
    max_retries = 5
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True

    def delay_on_commit(self, *args, **kwargs):
        """Queue the task only once the surrounding transaction commits.

        A task queued inside an open transaction could run before its rows are visible, or
        for rows that are then rolled back.
        """
        transaction.on_commit(lambda: self.apply_async(args=args, kwargs=kwargs))


app = Celery("csrprogram", task_cls=DurableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
