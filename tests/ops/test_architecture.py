"""The import rules of ARCHITECTURE.md hold, and the check really fails on a wrong-way import."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where):
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, env=env, capture_output=True, text=True, timeout=120
    )


def copy_of_the_app(tmp_path):
    shutil.copytree(ROOT / "cytokines", tmp_path / "cytokines", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_rules_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_workflow_importing_admin_code_breaks_the_rules(tmp_path):
    where = copy_of_the_app(tmp_path)
    (where / "cytokines" / "review" / "wrong_way.py").write_text("from cytokines.admin import articles  # noqa\n")
    result = lint_imports(where)
    assert result.returncode != 0
    assert "cytokines.review.wrong_way -> cytokines.admin" in result.stdout


def test_the_public_site_calling_the_write_path_breaks_the_rules(tmp_path):
    where = copy_of_the_app(tmp_path)
    (where / "cytokines" / "public" / "wrong_way.py").write_text("from cytokines.review import writes  # noqa\n")
    result = lint_imports(where)
    assert result.returncode != 0
    assert "cytokines.public.wrong_way -> cytokines.review.writes" in result.stdout
