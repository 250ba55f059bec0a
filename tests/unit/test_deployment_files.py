"""compose.yaml and the Helm chart stay valid without Docker or a cluster: parsed, the chart rendered (its
templates keep to `{{ .Values.x }}`, `{{ .Release.Name }}` and `| quote`), and their structure checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "docs" / "helm" / "cloudtuner"
PLACEHOLDER = re.compile(r"\{\{-?\s*(\.[A-Za-z_.]+)\s*(\|\s*quote\s*)?-?\}\}")
RELEASE = "ct"


def _lookup(values: dict, path: str) -> object:
    if path == ".Release.Name":
        return RELEASE
    assert path.startswith(".Values."), path
    node: object = values
    for part in path.removeprefix(".Values.").split("."):
        node = node[part]
    return node


def render(template: str, values: dict) -> list[dict]:
    def substitute(match: re.Match) -> str:
        value = _lookup(values, match.group(1))
        assert not isinstance(value, (dict, list)), match.group(0)
        return json.dumps(str(value)) if match.group(2) else str(value)

    text = PLACEHOLDER.sub(substitute, template)
    assert "{{" not in text, "a template uses more than this renderer (and the chart's promise) allows"
    return [doc for doc in yaml.safe_load_all(text) if doc]


@pytest.fixture(scope="module")
def chart() -> dict[str, dict]:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    values["secretKey"] = "s" * 48
    docs = [doc for path in sorted((CHART / "templates").glob("*.yaml")) for doc in render(path.read_text(), values)]
    for doc in docs:
        assert {"apiVersion", "kind", "metadata"} <= doc.keys() and doc["metadata"]["name"].startswith(RELEASE)
    return {doc["kind"]: doc for doc in docs}


def _env(container: dict) -> dict[str, dict]:
    return {entry["name"]: entry for entry in container["env"]}


def test_the_chart_is_a_helm_v2_chart():
    meta = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert meta["apiVersion"] == "v2" and meta["name"] == "cloudtuner" and re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])


def test_the_deployment_is_ready_only_when_healthz_says_so(chart):
    deployment = chart["Deployment"]
    assert deployment["apiVersion"] == "apps/v1" and deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    (container,) = pod["spec"]["containers"]
    assert container["command"] == ["cloudtuner", "serve", "--no-migrate"]
    probe = container["readinessProbe"]["httpGet"]
    assert probe["path"] == "/healthz" and probe["port"] in {p["name"] for p in container["ports"]}
    assert {p["containerPort"] for p in container["ports"]} == {8080}
    assert chart["Service"]["spec"]["selector"].items() <= pod["metadata"]["labels"].items()


def test_the_key_comes_from_the_charts_secret_and_the_database_from_the_users_release(chart):
    secret = chart["Secret"]
    assert secret["stringData"]["secret-key"] == "s" * 48
    for kind in ("Deployment", "Job"):
        (container,) = chart[kind]["spec"]["template"]["spec"]["containers"]
        env = _env(container)
        assert env["CLOUDTUNER_SECRET_KEY"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"],
                                                                             "key": "secret-key"}
        assert env["DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "pg-postgresql", "key": "password"}
        names = [entry["name"] for entry in container["env"]]
        assert names.index("DATABASE_PASSWORD") < names.index("CLOUDTUNER_DATABASE_URL")  # $(…) needs it first
        assert env["CLOUDTUNER_DATABASE_URL"]["value"] == (
            "postgres://cloudtuner:$(DATABASE_PASSWORD)@pg-postgresql:5432/cloudtuner")


def test_migrations_run_once_per_release_before_the_pods(chart):
    job = chart["Job"]
    hooks = job["metadata"]["annotations"]
    assert hooks["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(chart["Secret"]["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(hooks["helm.sh/hook-weight"])
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["cloudtuner", "migrate"]


def test_compose_runs_postgres_a_migration_and_two_replicas_with_the_same_settings():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    replicas = [services[name] for name in services if name.startswith("cloudtuner-")]
    assert len(replicas) == 2
    first, second = replicas
    assert first["environment"] == second["environment"] == services["migrate"]["environment"]
    assert first["command"] == second["command"] == ["cloudtuner", "serve", "--no-migrate"]
    assert first["image"] == second["image"] == services["migrate"]["image"]
    assert first["ports"] != second["ports"]
    for replica in replicas:
        assert replica["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert "healthcheck" in services["postgres"]
    url = first["environment"]["CLOUDTUNER_DATABASE_URL"]
    assert url.startswith("postgres://") and "@postgres:5432/" in url
    assert first["environment"]["CLOUDTUNER_SECRET_KEY"].startswith("${CLOUDTUNER_SECRET_KEY:?")
    assert set(compose["volumes"]) >= {v.split(":")[0] for v in services["postgres"]["volumes"]}
