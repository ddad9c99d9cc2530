"""The compose file stays valid and describes the topology the README promises."""

import os
import secrets
import shutil
import subprocess
import sys
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
    assert set(config["services"]) == {"proxy", "postgres", "redis", "web", "worker", "beat"}
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


def _compose_config() -> dict:
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is installed by scripts/install-system-deps.sh"
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", "FIELD_ENCRYPTION_KEY": "y"}
    env.pop("DJANGO_SECURE_COOKIES", None)
    out = subprocess.run(  # noqa: S603
        [exe, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    ).stdout
    return yaml.safe_load(out)


def test_only_the_proxy_is_published_and_gunicorn_trusts_only_it():
    config = _compose_config()
    services = config["services"]
    published = {
        name: {int(p["published"]) for p in svc.get("ports", [])} for name, svc in services.items()
    }
    assert published.pop("proxy") == {80, 443}
    assert all(not ports for ports in published.values()), published
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    mounts = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in proxy["volumes"]]
    assert any(m.split(":")[1] == "/etc/caddy/Caddyfile" for m in mounts), mounts
    proxy_address = proxy["networks"]["edge"]["ipv4_address"]
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"] == proxy_address
    # The web app sits on the proxy's network; the database and broker do not.
    assert "edge" in services["web"]["networks"]
    assert "edge" not in services["postgres"].get("networks", {"default": None})


def test_compose_never_turns_secure_cookies_off():
    config = _compose_config()
    for name in ("web", "worker", "beat"):
        env = config["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "icpfiling.settings.production"
        assert "DJANGO_SECURE_COOKIES" not in env
        assert not any("SECURE" in key for key in env), env
    assert "DJANGO_SECURE_COOKIES" not in (ROOT / "icpfiling/settings/production.py").read_text()


def test_proxy_sets_the_forwarded_headers_itself():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    lines = [line.split("#")[0].strip() for line in caddyfile.splitlines()]
    assert "reverse_proxy web:8000 {" in lines
    for header, value in (
        ("X-Forwarded-Proto", "{scheme}"),
        ("X-Forwarded-For", "{remote_host}"),
        ("X-Real-IP", "{remote_host}"),
    ):
        assert f"header_up {header} {value}" in lines
    # No upstream is trusted to supply its own X-Forwarded-* (Caddy would pass them on).
    assert not any(line.startswith("trusted_proxies") for line in lines)


def test_gunicorn_honours_forwarded_headers_only_from_the_configured_proxy(monkeypatch):
    source = (ROOT / "gunicorn.conf.py").read_text()
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    namespace: dict[str, object] = {}
    exec(source, namespace)  # noqa: S102 (our own file)
    assert namespace["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "172.30.0.10")
    namespace = {}
    exec(source, namespace)  # noqa: S102 (our own file)
    assert namespace["forwarded_allow_ips"] == "172.30.0.10"


def production_environment() -> dict[str, str]:
    """The minimum a production server needs, and nothing from the test run's settings."""
    keep = ("PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="icpfiling.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(32),  # a key of its own, not a dev key
        DJANGO_ALLOWED_HOSTS="icp.example.com",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/icpfiling"),
    )
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=production_environment(),
        cwd=ROOT,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_settings_are_https_only():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SAMESITE, s.X_FRAME_OPTIONS, s.API_DOCS_PUBLIC, s.SESSION_COOKIE_AGE, "
        "s.SESSION_IDLE_TIMEOUT, [p for p in s.SECURE_REDIRECT_EXEMPT])"
    )
    env = production_environment()
    env["DJANGO_SECURE_COOKIES"] = "false"  # the old switch: no longer read
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    ).stdout.strip()
    assert out == (
        "True 31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https') Lax DENY False "
        "43200 1800 ['^healthz/?$', '^readyz/?$']"
    )
