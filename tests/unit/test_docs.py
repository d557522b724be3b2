"""The documentation says what the code does, in the spirit of datasette's
tests/test_docs.py: README's command table against the live `python -m metrics` parser
(both ways), every function docs/engine-api.md names against its real signature, and
docs/metrics.md against the registry (both ways). Fix the docs when these fail."""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import re
import subprocess
import sys
from types import ModuleType

import pytest

from metrics import cli, registry
from tests.unit.markdown import ROOT, code, section, sections, table_with

README = ROOT / "README.md"
ENGINE_API = ROOT / "docs" / "engine-api.md"
METRICS_DOC = ROOT / "docs" / "metrics.md"
CONTRACT = ROOT / "docs" / "data-contract.md"

FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
CHOICES = re.compile(r"(--[\w-]+) ([\w-]+(?:\|[\w-]+)+)")

# ----------------------------------------------------------------------------- the command line


def live_subcommands() -> dict[str, argparse.ArgumentParser]:
    """The sub-commands of the parser `python -m metrics` really builds."""
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and not isinstance(a, argparse._HelpAction)]


def readme_commands() -> dict[str, str]:
    """Command name -> its cell in README's command table (with the `|` escapes undone)."""
    rows = table_with(section(README, "The command line"), "command")
    return {code(r["command"]).split()[0]: code(r["command"]) for r in rows}


def readme_common_flags() -> tuple[set[str], set[str]]:
    """The flags README says every command takes, and the commands it excepts."""
    text = " ".join(section(README, "The command line").split())
    m = re.search(r"Every command(?: except (.*?))? takes (`[^`]+`)", text)
    assert m, "README no longer says which flags every command takes"
    excepted = set(re.findall(r"`([\w-]+)`", m.group(1) or ""))
    return set(FLAG.findall(m.group(2))), excepted


def documented_flags(command: str) -> set[str]:
    common, excepted = readme_common_flags()
    row = set(FLAG.findall(readme_commands()[command]))
    return row if command in excepted else row | common


def test_readme_documents_every_command_of_the_parser_and_no_other():
    assert sorted(readme_commands()) == sorted(live_subcommands())


def test_the_entry_point_help_lists_every_command_of_the_readme():
    proc = subprocess.run(
        [sys.executable, "-m", "metrics", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    listed = re.search(r"\{([\w,-]+)\}", proc.stdout)
    assert listed, proc.stdout
    assert set(listed.group(1).split(",")) == set(readme_commands())


@pytest.mark.parametrize("command", sorted(live_subcommands()))
def test_every_flag_in_the_readme_row_is_in_the_commands_help(command):
    help_text = live_subcommands()[command].format_help()
    missing = {f for f in documented_flags(command) if f not in FLAG.findall(help_text)}
    assert not missing, f"README documents {sorted(missing)} for `{command}`, its --help does not have them"


@pytest.mark.parametrize("command", sorted(live_subcommands()))
def test_every_flag_of_the_commands_help_is_in_its_readme_row(command):
    documented = documented_flags(command)
    missing = [a.option_strings for a in options(live_subcommands()[command]) if not documented & set(a.option_strings)]
    assert not missing, f"`{command} --help` has {missing}; add them to README's command table"


@pytest.mark.parametrize("command", sorted(live_subcommands()))
def test_the_choices_the_readme_lists_are_the_parsers_choices(command):
    by_flag = {s: a for a in options(live_subcommands()[command]) for s in a.option_strings}
    for flag, listed in CHOICES.findall(readme_commands()[command]):
        assert by_flag[flag].choices is not None, f"{command} {flag} takes any value"
        assert listed.split("|") == [str(c) for c in by_flag[flag].choices], f"{command} {flag}"


@pytest.mark.parametrize("command", sorted(live_subcommands()))
def test_the_definitions_and_tiers_the_commands_offer_are_the_registrys(command):
    for action in options(live_subcommands()[command]):
        if action.dest.endswith("_definition"):
            metric_key = action.dest.removesuffix("_definition") + "_rate"
            assert tuple(action.choices or ()) == registry.DEFINITIONS[metric_key], f"{command} {action.dest}"
        if action.dest == "tier":
            assert tuple(action.choices or ()) == registry.TIER_CODES, command


MAKE_TARGET = re.compile(r"^([\w-]+):", re.M)


def test_every_make_command_in_the_readme_is_a_makefile_target():
    targets = set(MAKE_TARGET.findall((ROOT / "Makefile").read_text(encoding="utf-8")))
    named = set(re.findall(r"\bmake ([\w-]+)", README.read_text(encoding="utf-8")))
    assert {"run", "test"} <= named, "README's Quick start keeps `make run` and `make test`"
    assert named <= targets, named - targets


def test_ci_runs_make_test_and_make_test_runs_the_linters_and_the_type_check():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_prerequisites = re.search(r"^test:(.*)$", makefile, re.M)
    assert test_prerequisites, "the Makefile has no test target"
    assert {"lint", "typecheck"} <= set(test_prerequisites.group(1).split())
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff format --check ." in lint and "ruff check ." in lint
    assert "mypy metrics ui" in makefile.split("\ntypecheck:", 1)[1].split("\n\n", 1)[0]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the engine API

SPAN = re.compile(r"`([^`]+)`")
HEADING_MODULE = re.compile(r"`(metrics(?:\.\w+)+)`")


def api_sections() -> list[tuple[str, list[ModuleType], str]]:
    """(heading, the modules it names, its text) for every section that names a module."""
    found = []
    for heading, body in sections(ENGINE_API).items():
        modules = [importlib.import_module(name) for name in HEADING_MODULE.findall(heading)]
        if modules:
            found.append((heading, modules, body))
    return found


def _split_call(span: str) -> tuple[str, str] | None:
    """'compute.late(con, x=(1, 2)) -> DataFrame(...)' -> ('compute.late', 'con, x=(1, 2)')."""
    m = re.match(r"\s*([A-Za-z_][\w.]*)\(", span)
    if not m:
        return None
    depth, start = 0, m.end() - 1
    for i in range(start, len(span)):
        depth += {"(": 1, ")": -1}.get(span[i], 0)
        if depth == 0:
            rest = span[i + 1 :].strip()
            return (m.group(1), span[start + 1 : i]) if not rest or rest.startswith("->") else None
    return None


def _split_params(text: str) -> list[str]:
    params, depth, current = [], 0, ""
    for ch in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            params.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        params.append(current.strip())
    return params


def documented_api() -> list[tuple[str, ModuleType, str, str | None]]:
    """(heading, module, name, parameters or None) for every name the doc gives: each call
    written `name(params)` (`alias.name(...)` when the section names several modules) and the
    first name of each list item (`registry.METRICS`, `ImportSummary`)."""
    found = []
    for heading, modules, body in api_sections():
        spans = [(s, None) for s in SPAN.findall(body)]
        spans += [(m.group(1), "item") for m in re.finditer(r"^- `([^`]+)`", body, re.M)]
        for span, origin in spans:
            call = _split_call(span)
            if call:
                dotted, params = call
            elif origin == "item" and re.fullmatch(r"[A-Za-z_][\w.]*", span):
                dotted, params = span, None
            else:
                continue
            alias, _, name = dotted.rpartition(".")
            candidates = [m for m in modules if not alias or m.__name__.rsplit(".", 1)[1] == alias]
            assert len(candidates) == 1, f"{heading}: which module holds `{dotted}`?"
            if (heading, candidates[0], name, params) not in found:
                found.append((heading, candidates[0], name, params))
    return found


def _signature_as_documented(sig: inspect.Signature) -> list[tuple[str, str, object]]:
    shown: list[tuple[str, str, object]] = []
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not any(kind == "*" for _, kind, _ in shown):
            shown.append(("*", "*", None))
        if p.kind is p.VAR_KEYWORD:
            shown.append((p.name, "**", None))
        else:
            shown.append((p.name, "", p.default))
    return shown


def _params_as_documented(params: str) -> list[tuple[str, str, object]]:
    shown: list[tuple[str, str, object]] = []
    for p in _split_params(params):
        if p == "*":
            shown.append(("*", "*", None))
        elif p.startswith("**"):
            shown.append((p[2:], "**", None))
        elif "=" in p:
            name, default = p.split("=", 1)
            shown.append((name.strip(), "", ast.literal_eval(default.strip())))
        else:
            shown.append((p, "", inspect.Parameter.empty))
    return shown


def test_the_engine_api_doc_names_functions():
    assert len([p for *_, p in documented_api() if p is not None]) >= 20


@pytest.mark.parametrize(
    ("heading", "module", "name", "params"),
    [pytest.param(*api, id=f"{api[1].__name__}.{api[2]}") for api in documented_api()],
)
def test_every_name_in_the_engine_api_doc_exists_with_the_documented_parameters(heading, module, name, params):
    assert hasattr(module, name), f"docs/engine-api.md ({heading}) names {module.__name__}.{name}, which is gone"
    if params is not None:
        actual = _signature_as_documented(inspect.signature(getattr(module, name)))
        assert _params_as_documented(params) == actual, (
            f"{module.__name__}.{name}{inspect.signature(getattr(module, name))}"
        )


# ----------------------------------------------------------------------------- the metrics


def test_metrics_doc_has_one_section_per_registry_row_and_no_other():
    headings = [h for h in sections(METRICS_DOC) if re.match(r"\w+:\w+ — ", h)]
    assert sorted(h.split(" — ")[0] for h in headings) == sorted(m.id for m in registry.METRICS)
    for h in headings:
        m_id, title = h.split(" — ", 1)
        key, definition = m_id.split(":")
        assert title == registry.metric(key, definition).label_vi, m_id


@pytest.mark.parametrize("doc", [METRICS_DOC, CONTRACT, README], ids=lambda p: p.name)
def test_the_docs_name_no_metric_the_registry_does_not_have(doc):
    named = set(re.findall(r"\b[a-z]+(?:_[a-z]+)*_rate\b", doc.read_text(encoding="utf-8")))
    assert named <= set(registry.METRIC_KEYS), named - set(registry.METRIC_KEYS)


def test_the_contract_names_every_definition_of_every_metric():
    text = section(CONTRACT, "3. ")
    for m in registry.METRICS:
        assert f"`{m.definition}`" in text, m.id
