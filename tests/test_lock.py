"""The lock file: every dependency pyproject.toml names is pinned there within its range, and the tests
run on exactly the pinned versions (what `make test` installed)."""
from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            assert pinned, f"not a pin: {line}"
            pins[canonicalize_name(name)] = pinned
    return pins


def test_every_dependency_is_pinned_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = _locked()
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (requirement, pins[name])


def test_the_tests_run_on_the_locked_versions():
    wrong = {}
    for name, pinned in _locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert wrong == {}, "run `make test` on a fresh .venv (or `make lock` after changing pyproject.toml)"


def test_the_libraries_the_speedups_touch_are_pinned_to_the_release_their_tests_guard():
    from bot.speedups import TOUCHED

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {canonicalize_name(r.name): r.specifier for r in map(Requirement, project["dependencies"])}
    for name, minor in TOUCHED.items():
        major, number = minor.split(".")
        assert wanted[name].contains(f"{minor}.0") and wanted[name].contains(f"{minor}.9"), name
        assert not wanted[name].contains(f"{major}.{int(number) + 1}.0"), f"{name}: a newer minor release lets in"
        assert version(name).startswith(f"{minor}."), (name, version(name))
