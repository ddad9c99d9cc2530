"""Settings: every tunable declared once with its default, the environment read only in the
settings package, no side effects at import, the filesystem broker kept under var/."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notifications import conf

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DIR = ROOT / "icpfiling" / "settings"
# Environment modules override the shared ones; production.py fails fast on missing secrets.
OVERRIDES = {"local.py", "test.py", "production.py"}
TOPIC_MODULES = sorted(p for p in SETTINGS_DIR.glob("*.py") if p.name not in OVERRIDES)
# Knobs read by the apps (not Django's own settings): each needs a comment saying what it does.
APP_TUNABLE_PREFIXES = (
    "NOTIFICATIONS_",
    "REPORTS_",
    "IMPORTS_",
    "DOCUMENTS_",
    "CELERY_DATA_",
    "EGRESS_",
)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_env_read(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "env"
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "env"
        and func.attr != "read_env"
    )


def _top_level_names(path: Path) -> list[tuple[str, int]]:
    names = []
    for node in _tree(path).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names += [(t.id, node.lineno) for t in targets if isinstance(t, ast.Name)]
    return [(n, line) for n, line in names if n.isupper()]


def _run(code: str, *, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}  # noqa: S108
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=clean, cwd=cwd, capture_output=True, text=True
    )


def test_every_environment_read_in_shared_settings_has_a_default():
    missing = [
        f"{path.name}:{node.lineno}"
        for path in TOPIC_MODULES
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call)
        and _is_env_read(node)
        and "default" not in {k.arg for k in node.keywords}
    ]
    assert missing == []


def test_shared_settings_import_with_an_empty_environment(tmp_path):
    code = (
        "import json; from icpfiling.settings import base as s; "
        "print(json.dumps([s.NOTIFICATIONS_SEND_HOUR, s.REPORTS_SYNC_MAX_SERVICES, "
        "s.IMPORTS_RETENTION_DAYS, s.DOCUMENTS_MAX_UPLOAD_BYTES, s.CELERY_BROKER_URL]))"
    )
    result = _run(code, env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [9, 300, 7, 5 * 1024 * 1024, "filesystem://"]


def test_every_tunable_is_declared_once():
    where: dict[str, list[str]] = {}
    for path in TOPIC_MODULES:
        for name, _line in _top_level_names(path):
            where.setdefault(name, []).append(path.name)
    assert {name: files for name, files in where.items() if len(files) > 1} == {}


def test_every_app_tunable_has_a_comment_above_it():
    uncommented = []
    for path in TOPIC_MODULES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for name, line in _top_level_names(path):
            if name.startswith(APP_TUNABLE_PREFIXES) and not lines[line - 2].startswith("#"):
                uncommented.append(f"{path.name}:{name}")
    assert uncommented == []


def _app_modules() -> list[Path]:
    packages = {p.parent for p in ROOT.glob("*/apps.py")} | {ROOT / "icp"}
    return [p for pkg in sorted(packages) if pkg.is_dir() for p in sorted(pkg.rglob("*.py"))]


def _reads_environment(node: ast.AST) -> bool:
    if isinstance(node, ast.Import | ast.ImportFrom):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        else:
            modules = [node.module or ""]
        return "environ" in modules
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "os" and node.attr in {"environ", "getenv"}
    return False


def _settings_getattr_with_default(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) == 3
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == "settings"
    )


def test_apps_read_neither_the_environment_nor_a_second_default():
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _app_modules()
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.stmt | ast.expr)
        and (_reads_environment(node) or _settings_getattr_with_default(node))
    ]
    assert _app_modules(), "no app found"
    assert offenders == []


def test_notifications_conf_reads_the_settings_at_call_time(settings):
    settings.NOTIFICATIONS_SEND_HOUR = 3
    settings.NOTIFICATIONS_PERSON_LANGUAGE = "en"
    assert (conf.send_hour(), conf.person_language()) == (3, "en")


def test_notifications_conf_has_no_hidden_default(settings):
    del settings.NOTIFICATIONS_MAX_ATTEMPTS
    with pytest.raises(AttributeError):
        conf.max_attempts()


def test_importing_settings_creates_no_directories(tmp_path):
    cwd, data = tmp_path / "cwd", tmp_path / "var" / "celery"
    cwd.mkdir()
    result = _run(
        "import icpfiling.settings.local",
        env={"CELERY_DATA_DIR": str(data), "DJANGO_MEDIA_ROOT": str(tmp_path / "media")},
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd"]
    assert list(cwd.iterdir()) == []


def test_filesystem_broker_folders_default_under_var(tmp_path):
    code = (
        "import json; from icpfiling.settings import base as s; "
        "print(json.dumps(s.CELERY_BROKER_TRANSPORT_OPTIONS))"
    )
    result = _run(code, env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    folders = {"data_folder_in", "data_folder_out", "processed_folder", "control_folder"}
    assert set(options) == folders
    assert options["control_folder"] == str(ROOT / "var" / "celery" / "control")
    assert all(Path(v).is_relative_to(ROOT / "var") for v in options.values())


def test_publishing_writes_the_exchange_table_under_the_data_dir_not_the_cwd(tmp_path):
    cwd, data = tmp_path / "cwd", tmp_path / "var" / "celery"
    cwd.mkdir()
    code = (
        "import django; django.setup(); from icpfiling.celery import app; "
        "app.send_task('notifications.dispatch')"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "icpfiling.settings.local",
        "CELERY_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    result = _run(code, env=env, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert list(cwd.iterdir()) == []
    assert json.loads((data / "control" / "celery.exchange").read_text()) == [
        ["celery", "", "celery"]
    ]
    assert len(list((data / "out").iterdir())) == 1
    assert (data / "processed").is_dir()
