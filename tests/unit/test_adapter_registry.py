"""One list of data source kinds: what the registry describes is what connect, the CLI and forms offer."""

import subprocess
import sys

import pytest

from config.cli import _parser
from core.adapters import registry
from core.errors import InvalidInput
from core.models import DataSourceKind


def test_only_kinds_with_an_adapter_are_offered_in_the_models_order():
    assert [info.kind for info in registry.kinds()] == [DataSourceKind.AWS_ROOT, DataSourceKind.AWS_LINKED,
                                                         DataSourceKind.AZURE_SUBSCRIPTION, DataSourceKind.AZURE_TENANT,
                                                         DataSourceKind.GCP]
    assert all(isinstance(info.kind, DataSourceKind) for info in registry.kinds())


def test_the_cli_offers_exactly_the_registered_kinds(capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args(["datasource", "add", "kubernetes", "--org", "A", "--name", "N",
                              "--config", "f.json"])
    assert "invalid choice: 'kubernetes' (choose from 'aws_root', 'aws_linked', 'azure_subscription', 'azure_tenant', 'gcp')" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["kubernetes", "manual", "nonsense"])
def test_a_kind_without_an_adapter_is_unknown_and_the_offered_ones_are_named(kind):
    with pytest.raises(InvalidInput) as err:
        registry.kind_info(kind)
    assert (err.value.code, err.value.params) == ("adapter_unknown",
                                                  {"field": "kind", "kind": kind,
                                                   "kinds": "aws_root, aws_linked, azure_subscription, azure_tenant, gcp"})


def test_describing_the_kinds_imports_no_sdk():
    code = ("import sys; from core.adapters import registry; from core.services import datasources, imports; "
            "print([f.name for i in registry.kinds() for f in i.fields if f.secret], "
            "sorted(m for m in ('boto3', 'botocore', 'pyarrow') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert shown.stdout.strip().endswith(" []")
