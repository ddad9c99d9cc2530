"""The compose file stays valid and describes the topology the README promises."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_config_is_valid():
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is installed by scripts/install-system-deps.sh"
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", "FIELD_ENCRYPTION_KEY": "y"}
    out = subprocess.run(  # noqa: S603
        [exe, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    ).stdout
    config = yaml.safe_load(out)
    assert set(config["services"]) == {"postgres", "redis", "web", "worker", "beat"}
    web_env = config["services"]["web"]["environment"]
    assert web_env["DATABASE_URL"].startswith("postgres://")
    assert web_env["REDIS_URL"] == "redis://redis:6379/0"
    assert "worker" in config["services"]["worker"]["command"]
    assert "beat" in config["services"]["beat"]["command"]


def test_compose_refuses_to_start_without_secrets():
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is installed by scripts/install-system-deps.sh"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY")
    }
    result = subprocess.run(  # noqa: S603
        [exe, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_web_is_healthy_only_when_ready_and_logs_paths_only():
    config = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = config["services"]["web"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(web["healthcheck"]["test"])
    assert "-c gunicorn.conf.py" in web["command"]
    assert '"-c", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    namespace: dict[str, object] = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own file)
    assert namespace["logger_class"] == "core.access_log.PathOnlyAccessLogger"
    access_format = str(namespace["access_log_format"])
    for atom in ("%(r)s", "%(q)s", "%(f)s"):  # request line, query string, referer
        assert atom not in access_format
