"""The README's first command, ``bin/demo``, starts the application with demo data on the
embedded default (SQLite, filesystem broker): run it as a newcomer would and use it."""

import base64
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
from django_otp.oath import totp

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
    # A team leader with a local password sets up two-factor authentication first (issue 12),
    # as the README says: the key shown for typing by hand gives the app's code.
    setup = opener.open(request).read().decode()
    assert "To-trinsbekræftelse" in setup
    secret = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', setup).group(1)
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', setup).group(1)
    code = f"{totp(key):06d}"
    confirm = urllib.request.Request(
        f"{base}/konto/to-trin/", data=urlencode(
            {"csrfmiddlewaretoken": token, "code": code}).encode(),
        headers={"Referer": f"{base}/konto/to-trin/"})
    opener.open(confirm).read()
    home = opener.open(f"{base}/").read().decode()
    assert "Programmernes mål" in home
    dashboards = re.findall(r'href="(/programmer/\d+/dashboard/)"', home)
    # The two historic Randers programmes and the current one.
    assert len(set(dashboards)) == 3
    pages = [opener.open(f"{base}{url}").read().decode() for url in dashboards]
    # "CSR Strategi 2017" shows the seed's targets with the demo data's actuals.
    strategy = next(html for html in pages if "CSR Strategi 2017" in html)
    assert "Certificerede virksomheder" in strategy
    assert 'role="img"' in strategy
