"""No code outside a network's own package (and the registry) branches on that network's name: it asks
the network registry instead, so `if network == "x"` chains cannot come back.

The source is read as syntax trees: a string literal naming a registered network is flagged when it is
compared (``==``, ``!=``, ``in``, ``not in``, alone or in a tuple, list or set), matched in a
``match``/``case``, used as a key of a dict literal (a dispatch table is a chain in disguise), or
listed with another network in a tuple, list or set (``INBOUND_NETWORKS = ("x", "rss")`` and a later
``network in INBOUND_NETWORKS`` is the same chain).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialdesk.channels.registry import REGISTRY

SRC = Path(__file__).resolve().parents[2] / "src" / "socialdesk"

# Where naming networks is the point, each with why:
ALLOWED = {
    # The pure tables keyed by network name that descriptors point at (length and reply rules).
    "domain/text_length.py",
    "domain/networks.py",
    # The post format's list of channels (the contract, not an adapter list).
    "domain/post.py",
    # The demo and the benchmarks fabricate network-shaped traffic (ids, handles, URLs per network),
    # like test fixtures.
    "demo",
    "bench",
    # The incident replay fabricates bursts spread over networks (evaluation data, like the demo's).
    "training/incident_templates.py",
}
# Strings that are a network's name but mean something else in one module.
HOMONYMS = {
    ("listening/positions.py", "x"),  # "x" tags a wildcard position key there, not the network
    # A user's or contact's e-mail address field, or the e-mail way to answer, not the e-mail network:
    ("actions/accounts/users.py", "email"),
    ("actions/inbox/answered_elsewhere.py", "email"),
    ("cli/accounts.py", "email"),
    ("storage/sql/people.py", "email"),
    ("web/ui/triage_view.py", "email"),
}


def _networks() -> frozenset[str]:
    return frozenset({*REGISTRY.names(), "simulated"})


def _allowed(relative: str, network: str) -> bool:
    own = f"channels/{network}/"
    return (
        relative.startswith(own)
        or relative == "channels/registry.py"
        or (relative, network) in HOMONYMS
        or any(relative == a or relative.startswith(a + "/") for a in ALLOWED)
    )


def _names_in(node: ast.AST, networks: frozenset[str]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in networks:
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [n for element in node.elts for n in _names_in(element, networks)]
    return []


def branches(tree: ast.AST, networks: frozenset[str]) -> Iterator[tuple[int, str, str]]:
    """(line, network, what) of each comparison, case or dict key naming a network."""
    for node in ast.walk(tree):
        yield from _named(node, networks)


def _named(node: ast.AST, networks: frozenset[str]) -> Iterator[tuple[int, str, str]]:
    if isinstance(node, ast.Compare):
        for side in (node.left, *node.comparators):
            for name in _names_in(side, networks):
                yield node.lineno, name, "compared"
    elif isinstance(node, ast.match_case):
        for pattern in ast.walk(node.pattern):
            if isinstance(pattern, ast.MatchValue):
                for name in _names_in(pattern.value, networks):
                    yield pattern.lineno, name, "matched"
    elif isinstance(node, ast.Dict):
        for key in node.keys:
            if key is not None:  # None: a ``**mapping`` entry
                for name in _names_in(key, networks):
                    yield key.lineno, name, "a dict key"
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        listed = _names_in(node, networks)
        if len(listed) > 1:
            for name in listed:
                yield node.lineno, name, "listed with other networks"


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_branches_on_a_network_name_outside_its_package() -> None:
    networks = _networks()
    found = []
    for path in _sources():
        relative = path.relative_to(SRC).as_posix()
        for line, name, what in branches(ast.parse(path.read_text(encoding="utf-8")), networks):
            if not _allowed(relative, name):
                found.append(f"{relative}:{line}: {name!r} {what}")
    assert found == [], "ask channels.registry.REGISTRY instead of naming the network:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "code",
    [
        'if account.network == "mastodon": pass',
        'ok = network in ("x", "bluesky")',
        'match network:\n    case "rss": pass',
        'checks = {"x": 1}',
        'if "webhook" != kind: pass',
        'INBOUND = ("x", "rss")',
    ],
)
def test_the_scan_catches_each_form(code: str) -> None:
    assert list(branches(ast.parse(code), _networks())) != []


def test_the_scan_leaves_other_strings_alone() -> None:
    code = 'if mode == "stream": pass\nlabel = "x"\nf(network="x")\nsettings.get("x")'
    assert list(branches(ast.parse(code), _networks())) == []
