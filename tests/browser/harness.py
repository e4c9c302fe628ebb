"""A real ``hass`` process and a headless Chromium, for browser tests.

``HassProcess`` prepares a configuration directory the way ``scripts/develop`` does
(Door Service linked in, onboarding done, the demo sites of ``scripts/demo_site.py``)
on a free 127.0.0.1 port with ``external_url`` pointing at it. Before ``start()`` a
test may add Home Assistant users (administrators or plain users, with their
credentials, written in Home Assistant's own storage format so no first login is
needed to create them) and bind them to the demo's subentries (a worker's
``user_id``, a room's ``users``). After ``start()`` it logs users in through Home
Assistant's login flow (``token()``), calls the REST API (``api()``, ``call()``) and
stops the process at the end of the test.

``run_walk()`` runs a Node walk script (see ``lib.mjs``) with a JSON job and returns
what the walk reported; screenshots go to ``tests/browser/output/<test>/``
(``browser_output`` fixture, gitignored).

Chromium is Debian's ``chromium`` and ``playwright-core`` comes from npm
(``tests/browser/package-lock.json``); ``scripts/test`` installs both. Missing
either FAILS the test with instructions instead of skipping it.

Sockets: request the ``socket_enabled`` fixture (``hass_process`` does) since the
test talks to the process over 127.0.0.1.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import shutil
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request
import uuid

import bcrypt
import pytest

from tests.e2e.mosquitto import free_loopback_port

ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent
OUTPUT_DIR = BROWSER_DIR / "output"
HASS = Path(sys.executable).with_name("hass")
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ADMIN_GROUP = "system-admin"
USER_GROUP = "system-users"

CONFIGURATION_YAML = """\
homeassistant:
  name: Door Service browser test
  unit_system: metric
  currency: EUR
  time_zone: UTC
  country: DE
  language: en
  external_url: "{url}"
  internal_url: "{url}"

frontend:
lovelace:
config:
history:
logbook:
person:
recorder:

logger:
  default: warning
  logs:
    custom_components.doorservice: debug
"""


def _demo_site_module() -> Any:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import demo_site
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return demo_site


@dataclass
class HassUser:
    """A Home Assistant user the process knows from its first start."""

    username: str
    password: str
    name: str
    admin: bool = False
    user_id: str = field(default_factory=lambda: uuid.uuid4().hex)


class HassProcess:
    """One real Home Assistant process on a prepared configuration directory."""

    def __init__(self, config: Path, *, extra_yaml: str = "") -> None:
        """Prepare ``config`` (empty or missing) with the demo sites and login."""
        self.config = config
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.users: dict[str, HassUser] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self._tokens: dict[str, dict[str, Any]] = {}
        self._log: Any = None
        demo = _demo_site_module()
        storage = config / ".storage"
        storage.mkdir(parents=True, exist_ok=True)
        (config / "custom_components").mkdir(exist_ok=True)
        os.symlink(
            ROOT / "custom_components" / "doorservice",
            config / "custom_components" / "doorservice",
        )
        (config / "configuration.yaml").write_text(
            CONFIGURATION_YAML.format(url=self.url) + extra_yaml
        )
        demo.ensure_onboarded(config)
        http = json.loads(json.dumps(demo.HTTP_STABLE))
        http["server_port"] = self.port
        demo.write_http(config, http)
        demo.ensure_demo_sites(config)
        self.admin = self.add_user(
            demo.DEMO_USER, demo.DEMO_PASSWORD, "Demo", admin=True
        )

    # -- before start ------------------------------------------------------------

    def add_user(
        self, username: str, password: str, name: str, *, admin: bool = False
    ) -> HassUser:
        """Add a user with credentials (call before ``start()``)."""
        assert self.process is None, "add users before start()"
        user = HassUser(username, password, name, admin=admin)
        self.users[username] = user
        self._write_auth()
        return user

    def _write_auth(self) -> None:
        storage = self.config / ".storage"
        users = list(self.users.values())
        auth = {
            "version": 1,
            "minor_version": 1,
            "key": "auth",
            "data": {
                "users": [
                    {
                        "id": user.user_id,
                        "group_ids": [ADMIN_GROUP if user.admin else USER_GROUP],
                        "is_owner": index == 0,
                        "is_active": True,
                        "name": user.name,
                        "system_generated": False,
                        "local_only": False,
                    }
                    for index, user in enumerate(users)
                ],
                "groups": [
                    {"id": ADMIN_GROUP, "name": "Administrators"},
                    {"id": USER_GROUP, "name": "Users"},
                    {"id": "system-read-only", "name": "Read Only"},
                ],
                "credentials": [
                    {
                        "id": uuid.uuid5(uuid.NAMESPACE_OID, user.user_id).hex,
                        "user_id": user.user_id,
                        "auth_provider_type": "homeassistant",
                        "auth_provider_id": None,
                        "data": {"username": user.username},
                    }
                    for user in users
                ],
                "refresh_tokens": [],
            },
        }
        provider = {
            "version": 1,
            "minor_version": 1,
            "key": "auth_provider.homeassistant",
            "data": {
                "users": [
                    {
                        "username": user.username,
                        "password": base64.b64encode(
                            bcrypt.hashpw(
                                user.password.encode(), bcrypt.gensalt(rounds=4)
                            )
                        ).decode(),
                    }
                    for user in users
                ]
            },
        }
        (storage / "auth").write_text(json.dumps(auth, indent=2))
        (storage / "auth_provider.homeassistant").write_text(
            json.dumps(provider, indent=2)
        )

    def edit_entries(self, edit: Callable[[list[dict[str, Any]]], None]) -> None:
        """Change the stored config entries (call before ``start()``)."""
        assert self.process is None, "edit entries before start()"
        path = self.config / ".storage" / "core.config_entries"
        stored = json.loads(path.read_text())
        edit(stored["data"]["entries"])
        path.write_text(json.dumps(stored, indent=2))

    def update_subentry(self, site: str, subentry: str, **data: Any) -> None:
        """Merge ``data`` into a subentry's data, e.g. a worker's ``user_id``."""

        def edit(entries: list[dict[str, Any]]) -> None:
            for entry in entries:
                if entry["domain"] != "doorservice" or entry["title"] != site:
                    continue
                for sub in entry["subentries"]:
                    if sub["title"] == subentry:
                        sub["data"].update(data)
                        return
            raise AssertionError(f"no subentry {subentry!r} in site {site!r}")

        self.edit_entries(edit)

    def update_site(
        self, site: str, *, data: dict[str, Any] | None = None, **options: Any
    ) -> None:
        """Merge into a site's data and options (call before ``start()``)."""

        def edit(entries: list[dict[str, Any]]) -> None:
            for entry in entries:
                if entry["domain"] == "doorservice" and entry["title"] == site:
                    entry["data"].update(data or {})
                    entry["options"].update(options)
                    return
            raise AssertionError(f"no site {site!r}")

        self.edit_entries(edit)

    # -- running -----------------------------------------------------------------

    def start(self, timeout: float = 120) -> None:
        """Start ``hass`` and wait until every Door Service site is loaded."""
        self._log = (self.config / "hass.log").open("ab")
        self.process = subprocess.Popen(
            [str(HASS), "-c", str(self.config), "--skip-pip"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("hass did not start:\n" + self.log_text())
            try:
                if self.api("GET", "/api/config").get("state") == "RUNNING":
                    entries = self.api(
                        "GET", "/api/config/config_entries/entry?domain=doorservice"
                    )
                    if entries and all(e["state"] == "loaded" for e in entries):
                        return
            except OSError, urllib.error.URLError, HassHTTPError:
                pass
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop the process (SIGTERM, SIGKILL after 30 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        """Home Assistant's log of this run."""
        path = self.config / "hass.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request to the process; returns status, headers and body."""
        req = urllib.request.Request(
            self.url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def token(self, user: HassUser | str | None = None) -> str:
        """An access token of ``user`` (default: the demo administrator)."""
        user = self.admin if user is None else user
        if isinstance(user, str):
            user = self.users[user]
        return str(self.tokens(user)["access_token"])

    def tokens(self, user: HassUser | str | None = None) -> dict[str, Any]:
        """The token answer of ``user``'s login (access and refresh token)."""
        user = self.admin if user is None else user
        if isinstance(user, str):
            user = self.users[user]
        if user.username in self._tokens:
            return self._tokens[user.username]
        client_id = self.url + "/"
        flow = self._json(
            "POST",
            "/auth/login_flow",
            {
                "client_id": client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": client_id,
            },
        )
        result = self._json(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {
                "client_id": client_id,
                "username": user.username,
                "password": user.password,
            },
        )
        assert result.get("type") == "create_entry", result
        status, _headers, body = self.request(
            "POST",
            "/auth/token",
            body=urllib.parse.urlencode(
                {
                    "grant_type": "authorization_code",
                    "code": result["result"],
                    "client_id": client_id,
                }
            ).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200, body
        tokens: dict[str, Any] = json.loads(body)
        self._tokens[user.username] = tokens
        return tokens

    def frontend_tokens(self, user: HassUser | str | None = None) -> dict[str, Any]:
        """What the frontend keeps in localStorage ``hassTokens`` for a login.

        ``lib.mjs``'s ``loginAs(page, baseUrl, tokens)`` puts it there so a walk
        opens dashboards already logged in, without typing into the login form.
        """
        tokens = self.tokens(user)
        return {
            "hassUrl": self.url,
            "clientId": self.url + "/",
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "token_type": "Bearer",
            "expires_in": tokens["expires_in"],
            "expires": int(time.time() * 1000) + tokens["expires_in"] * 1000,
        }

    def _json(
        self,
        method: str,
        path: str,
        payload: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        status, _headers, body = self.request(
            method,
            path,
            body=None if payload is None else json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        if status >= 400:
            raise HassHTTPError(status, body.decode(errors="replace"))
        return json.loads(body) if body else None

    def api(
        self,
        method: str,
        path: str,
        payload: Any = None,
        user: HassUser | str | None = None,
    ) -> Any:
        """Call the REST API as ``user`` (default: the demo administrator)."""
        return self._json(
            method,
            path,
            payload,
            headers={"Authorization": f"Bearer {self.token(user)}"},
        )

    def call(
        self,
        service: str,
        data: dict[str, Any] | None = None,
        *,
        user: HassUser | str | None = None,
        response: bool = False,
    ) -> Any:
        """Call ``domain.service`` over REST; with ``response`` its response data."""
        domain, name = service.split(".", 1)
        path = f"/api/services/{domain}/{name}"
        answer = self.api(
            "POST", path + ("?return_response" if response else ""), data or {}, user
        )
        return answer["service_response"] if response else answer

    def state(self, entity_id: str, user: HassUser | str | None = None) -> Any:
        """The state object of one entity."""
        return self.api("GET", f"/api/states/{entity_id}", user=user)

    def states(self, pattern: str = "") -> list[dict[str, Any]]:
        """Every state whose entity id matches the regular expression."""
        regex = re.compile(pattern)
        return [
            s for s in self.api("GET", "/api/states") if regex.search(s["entity_id"])
        ]


class HassHTTPError(Exception):
    """An HTTP error answer of the process."""

    def __init__(self, status: int, body: str) -> None:
        """Keep the status and body."""
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


def require_browser() -> None:
    """Fail with instructions when chromium or playwright-core is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run 'sudo apt-get install -y chromium' "
            "(scripts/test installs it when run as root)"
        )
    if shutil.which("node") is None:
        pytest.fail("node is missing: install Node.js >= 20 (Debian 'nodejs')")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        pytest.fail(
            "playwright-core is missing: run 'npm ci' in tests/browser "
            "(scripts/test does it)"
        )


def run_walk(
    script: Path, job: dict[str, Any], output_dir: Path, timeout: float = 180
) -> dict[str, Any]:
    """Run ``node script job.json``; return what the walk reported.

    The job gets ``output_dir``; the walk's stdout/stderr are kept there as
    ``walk.log``. A failed walk fails the test with its log.
    """
    require_browser()
    output_dir.mkdir(parents=True, exist_ok=True)
    job_file = output_dir / "job.json"
    job_file.write_text(json.dumps({**job, "output_dir": str(output_dir)}))
    try:
        done = subprocess.run(
            ["node", str(script), str(job_file)],
            cwd=BROWSER_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        job_file.unlink(missing_ok=True)
    (output_dir / "walk.log").write_text(
        f"$ node {script.name}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    )
    if done.returncode != 0:
        pytest.fail(
            f"walk {script.name} failed ({done.returncode}):\n{done.stderr[-4000:]}"
        )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    result: dict[str, Any] = json.loads(lines[-1])
    return result


@pytest.fixture
def browser_output(request: pytest.FixtureRequest) -> Path:
    """``tests/browser/output/<test name>/``, emptied for this run."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    path = OUTPUT_DIR / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@pytest.fixture
def hass_process(tmp_path: Path, socket_enabled: None) -> Iterator[HassProcess]:
    """A prepared (not yet started) Home Assistant process with the demo sites.

    Add users and bind them before ``start()``; the process stops after the test
    (its log is printed on failure by pytest's captured output).
    """
    instance = HassProcess(tmp_path / "config")
    try:
        yield instance
    finally:
        instance.stop()
        if instance.process is not None and instance.process.returncode not in (
            0,
            None,
            -15,
        ):
            sys.stderr.write(instance.log_text()[-8000:])
