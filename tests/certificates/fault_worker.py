"""A real Celery worker for the fault tests of certificate documents.

Run as ``python -m tests.certificates.fault_worker -A csrprogram worker ...``. Before the first
task it wraps the certificate PDF renderer so that the test can see, from another process:

- every render that was committed: one line with the certificate number in
  ``CSR_TEST_RENDER_LOG`` (written on commit, so a render rolled back by a kill is not counted);
- a render in progress: a ``rendering-<number>`` file next to the log, before a pause of
  ``CSR_TEST_RENDER_DELAY`` seconds (so a test can kill the worker in the middle);
- an injected WeasyPrint failure: the first ``CSR_TEST_RENDER_FAILURES`` renders of each
  certificate raise, as WeasyPrint does when a font or image cannot be loaded.
"""

import os
import sys
import time
from pathlib import Path

from celery.__main__ import main as celery_main
from celery.signals import task_prerun


def _install_faults(**kwargs) -> None:
    from django.db import transaction

    from certificates import services

    if getattr(services.render_pdf, "fault_wrapper", False):
        return
    real_render_pdf = services.render_pdf
    log = Path(os.environ["CSR_TEST_RENDER_LOG"])
    delay = float(os.environ.get("CSR_TEST_RENDER_DELAY", "0"))
    failures = int(os.environ.get("CSR_TEST_RENDER_FAILURES", "0"))

    def render_pdf(**render_kwargs):
        number = render_kwargs["filename"].removesuffix(".pdf")
        failed = log.parent / f"failed-{number}"
        if failures and (not failed.exists() or len(failed.read_text()) < failures):
            with failed.open("a") as handle:
                handle.write("x")
            raise OSError("injected WeasyPrint failure: cannot load font")
        (log.parent / f"rendering-{number}").touch()
        time.sleep(delay)
        result = real_render_pdf(**render_kwargs)

        def record() -> None:
            with log.open("a") as handle:
                handle.write(number + "\n")

        transaction.on_commit(record)
        return result

    render_pdf.fault_wrapper = True
    services.render_pdf = render_pdf


task_prerun.connect(_install_faults, weak=False)

if __name__ == "__main__":
    sys.argv[0] = "celery"
    sys.exit(celery_main())
