"""The `world` fixture: every contract scenario runs once per cloud in tests.contract.kit.worlds() whose kind
declares the capabilities the scenario is marked with (`@pytest.mark.needs(Capability.X)`)."""

import pytest

from tests.contract.kit import CloudWorld, worlds


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "needs(capability): run only for kinds that declare the capability")


def pytest_generate_tests(metafunc) -> None:
    if "world" not in metafunc.fixturenames:
        return
    needed = {c for mark in metafunc.definition.iter_markers("needs") for c in mark.args}
    chosen = [w for w in worlds() if needed <= w.info.capabilities]
    metafunc.parametrize("world", chosen, ids=[w.kind.value for w in chosen], indirect=True)


@pytest.fixture
def world(request) -> CloudWorld:
    request.param.reset()
    return request.param
