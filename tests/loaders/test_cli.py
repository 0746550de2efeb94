"""``gongjian load`` and ``gongjian template`` end to end, with their own embedded database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import main
from app.commands.load import ProgressBar
from loaders import Progress
from tests.loaders.conftest import DEMO, ROSTERS


@pytest.mark.slow
def test_load_exit_codes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"embedded:{tmp_path / 'db'}"
    assert main(["load", str(ROSTERS / "divisions.csv"), "--db", db, "--dry-run"]) == 0
    assert "仅校验，未写入" in capsys.readouterr().out
    code = main([
        "load", str(ROSTERS), "--db", db, "--strict",
        "--report-json", str(tmp_path / "r.json"), "--report-xlsx", str(tmp_path / "r.xlsx"),
    ])  # fmt: skip
    assert code == 3
    out = capsys.readouterr().out
    assert "未写入（--strict：存在错误）" in out
    assert "units.xlsx 联系单位 第8行 联系电话（手机）" in out
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (report["written"], len(report["errors"])) == (False, 9)
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    assert main(["load", str(DEMO / "hejiang"), "--db", db, "--quiet"]) == 0
    assert "项目清单 projects" in capsys.readouterr().out
    assert main(["load", str(DEMO / "hejiang"), "--db", db, "--kind", "units"]) == 3


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "资源.xlsx"
    assert main(["template", "resources", "-o", str(target)]) == 0
    assert target.exists()
    assert "资源清单" in capsys.readouterr().out


def test_progress_bar_draws_on_a_terminal_only() -> None:
    out = io.StringIO()
    bar = ProgressBar(out, enabled=True)
    bar(Progress("check", "demands", 1000, 4000))
    bar(Progress("write", "demands", 4000, 4000))
    bar.close()
    text = out.getvalue()
    assert "demands    校验 [#######....................." in text
    assert "4000/4000" in text and "行/秒" in text and text.endswith("\n")
    quiet = io.StringIO()
    ProgressBar(quiet, enabled=False)(Progress("check", "demands", 1, 2))
    assert quiet.getvalue() == ""
