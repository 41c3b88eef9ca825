import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError

from csrprogram import metrics
from csrprogram.logging import RedactCprFilter, redact_cpr
from csrprogram.pdf import StaticOnlyURLFetcher, render_pdf
from csrprogram.services import programme_update


class _Dummy(metrics.Metric):
    key = "test-dummy"
    label = "Dummy"

    def daily(self, programme, *, start, end):
        return {start: 2, end: 3}


def test_metric_registry_registers_once_and_sums_daily_counts():
    registry = metrics.MetricRegistry()
    metric = registry.register(_Dummy())
    assert "test-dummy" in registry
    assert registry.choices() == [("test-dummy", "Dummy")]
    assert metric.count(None, start=dt.date(2017, 1, 1), end=dt.date(2017, 1, 2)) == 5
    with pytest.raises(ValueError, match="already registered"):
        registry.register(_Dummy())


def test_cpr_numbers_are_redacted_from_log_lines():
    assert redact_cpr("looked up 010190-1234 and 0101901234") == (
        "looked up 010190-XXXX and 010190-XXXX")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "cpr %s", ("2512894321",), None)
    RedactCprFilter().filter(record)
    assert record.getMessage() == "cpr 251289-XXXX"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/x.css",
                                 "http://127.0.0.1:8000/static/../../etc/passwd"])
def test_pdf_fetcher_refuses_anything_but_our_static_files(settings, url):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(ValueError, match=r"(Only our own|No static file)"):
        StaticOnlyURLFetcher().fetch(url)


def test_pdf_fetcher_serves_our_static_file(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    response = StaticOnlyURLFetcher().fetch("http://127.0.0.1:8000/static/css/app.css")
    assert b"skip-link" in response.read()


def test_render_pdf_returns_filename_and_pdf_bytes(tmp_path, settings):
    (tmp_path / "doc.html").write_text(
        "{% load i18n %}<html><body><p>{% translate 'Forside' %}</p></body></html>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    filename, data = render_pdf(template_name="doc.html", context={}, filename="x.pdf",
                                language="en")
    assert filename == "x.pdf"
    assert data.startswith(b"%PDF")


def test_programme_update_rejects_end_before_start(programme):
    with pytest.raises(ValidationError) as error:
        programme_update(programme=programme, actor=None, data={"ends_on": dt.date(2016, 1, 1)})
    assert "Slutdatoen skal ligge efter startdatoen." in str(error.value)
    programme.refresh_from_db()
    assert programme.ends_on == dt.date(2018, 12, 31)
