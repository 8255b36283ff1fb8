"""Production settings: refuse to start without a secret, and pass check --deploy silently."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-value-0123456789",
    "DJANGO_ALLOWED_HOSTS": "marketplace.example",
    "DATABASE_URL": "postgres://user:pass@db.invalid:5432/marketplace",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "FIELD_ENCRYPTION_KEYS": "Bo0yA0OAc6KviXyJbu8UrGumxmDe_BOz2lLl5vZMdRA=",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_docker_compose_has_the_production_shape():
    compose = yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "gunicorn" in str(services["web"]["command"]) and "marketplace.wsgi" in str(services["web"]["command"])
    assert "worker" in str(services["worker"]["command"]) and "beat" in str(services["beat"]["command"])
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], name
    assert "media" in compose["volumes"] and "pgdata" in compose["volumes"]
    dockerfile = (PROJECT_DIR / services["web"]["build"]["dockerfile"]).read_text()
    assert "requirements.txt" in dockerfile and "collectstatic" in dockerfile
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "marketplace.settings.production"
