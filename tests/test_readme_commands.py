"""The README's first command, ``bin/demo``, starts the application with demo data on the
embedded default (SQLite, filesystem broker): run it as a newcomer would and use it."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_SECURE",
                          "DJANGO_SECRET_KEY", "CSR_REQUIRE_CPR_KEYS", "CSR_SITE_URL"}}
    env.update(PORT=str(port), CSR_DATA_DIR=str(tmp_path / "var"))
    log = (tmp_path / "demo.log").open("w")
    process = subprocess.Popen(["bin/demo"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    yield f"http://127.0.0.1:{port}", process, tmp_path / "demo.log"
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def _wait_for(url: str, process, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"bin/demo stopped:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    raise AssertionError(f"bin/demo did not answer in time:\n{log.read_text()[-3000:]}")


def test_demo_command_serves_the_seeded_application(demo):
    base, process, log = demo
    _wait_for(f"{base}/konto/login/", process, log)
    printed = log.read_text()
    assert f"{base}/" in printed
    assert "teamleder@randers.example" in printed
    assert "csr-demo-2026" in printed

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/konto/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urlencode({"csrfmiddlewaretoken": token, "username": "teamleder@randers.example",
                      "password": "csr-demo-2026"}).encode()
    request = urllib.request.Request(f"{base}/konto/login/", data=data,
                                     headers={"Referer": f"{base}/konto/login/"})
    home = opener.open(request).read().decode()
    assert "Programmernes mål" in home
    dashboards = re.findall(r'href="(/programmer/\d+/dashboard/)"', home)
    assert len(dashboards) == 2
    pages = [opener.open(f"{base}{url}").read().decode() for url in dashboards]
    # "CSR Strategi 2017" shows the seed's targets with the demo data's actuals.
    strategy = next(html for html in pages if "CSR Strategi 2017" in html)
    assert "Certificerede virksomheder" in strategy
    assert 'role="img"' in strategy
