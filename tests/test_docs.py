"""docs/plugins.md stays true: every hook is documented with its exact signature, and every
example in it is a working plugin (the test suite runs each one, as a plugin author would).
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from helpers import run_cli
from plugin_support import (
    DATA,
    ROOT,
    sample_answers,
    start,
    stored_sessions,
    write_answers,
)
from topcli import catalog, hookspecs
from topcli.framework import Framework, Stage
from topcli.plugins import get_plugins

DOC = ROOT / "docs" / "plugins.md"
TOKENS = MarkdownIt().parse(DOC.read_text(encoding="utf-8"))


def titled_blocks() -> dict[str, str]:
    """Code blocks written as ```python title="file.py"```: complete files of the examples."""
    blocks = {}
    for token in TOKENS:
        match = re.search(r'title="([^"]+)"', token.info) if token.type == "fence" else None
        if match:
            assert match.group(1) not in blocks, f"two examples are called {match.group(1)}"
            blocks[match.group(1)] = token.content
    return blocks


BLOCKS = titled_blocks()
PLUGIN_EXAMPLES = sorted(
    name for name in BLOCKS if name.endswith(".py") and not name.startswith("test_")
)


def sections() -> dict[str, list[str]]:
    """Each heading's text (backticks removed) with the code blocks under it."""
    found: dict[str, list[str]] = {}
    current = None
    for i, token in enumerate(TOKENS):
        if token.type == "heading_open":
            current = TOKENS[i + 1].content.strip("`")
            found[current] = []
        elif token.type == "fence" and current is not None:
            found[current].append(token.content)
    return found


def formatted(name: str, function: object, *, drop_self: bool = False) -> str:
    """``name(param: type = default, ...) -> type``, as the annotations are written in source."""
    signature = inspect.signature(function)  # type: ignore[arg-type]
    params = list(signature.parameters.values())[1 if drop_self else 0 :]
    parts = []
    for param in params:
        text = f"{param.name}: {param.annotation}"
        if param.default is not param.empty:
            text += f" = {param.default!r}"
        parts.append(text)
    return f"{name}({', '.join(parts)}) -> {signature.return_annotation}"


def documented_signature(hook: str) -> list[str]:
    spec = getattr(hookspecs, hook)
    callback = getattr(hookspecs, str(inspect.signature(spec).parameters["register"].annotation))
    return [
        "def " + formatted(hook, spec),
        formatted("register", callback.__call__, drop_self=True),
    ]


@pytest.mark.parametrize("hook", hookspecs.hook_names())
def test_every_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    documented = sections()
    assert hook in documented, f"docs/plugins.md has no heading for the hook {hook}"
    assert documented[hook], f"the {hook} section of docs/plugins.md has no code block"
    assert documented[hook][0].splitlines() == documented_signature(hook), (
        f"the signature of {hook} in docs/plugins.md differs from src/topcli/hookspecs.py"
    )


def test_no_hook_is_documented_that_does_not_exist() -> None:
    documented = {name for name in sections() if re.fullmatch(r"register_\w+", name)}
    assert documented == set(hookspecs.hook_names())


def test_signature_check_sees_a_drifted_signature() -> None:
    def register_questions(
        register: Callable[..., None], framework: Framework, stage: Stage, person: str
    ) -> None: ...

    documented = sections()["register_questions"][0].splitlines()[0]
    assert documented.startswith("def register_questions(register: RegisterQuestion, ")
    assert "def " + formatted("register_questions", register_questions) != documented


def test_test_data_plugins_are_the_docs_examples() -> None:
    # tests/data/plugins holds the same files, so the other plugin tests use them too
    copies = {p.name: p.read_text(encoding="utf-8") for p in DATA.iterdir() if p.is_file()}
    assert set(PLUGIN_EXAMPLES) <= set(copies), "copy each example plugin to tests/data/plugins"
    for name, text in copies.items():
        assert name in BLOCKS, f"tests/data/plugins/{name} is not an example in docs/plugins.md"
        assert text == BLOCKS[name], f"tests/data/plugins/{name} differs from docs/plugins.md"


@pytest.mark.parametrize("name", ["our_values.py", "competencies.py", "answers_csv.py"])
def test_question_and_exporter_examples_fit_in_one_short_file(name: str) -> None:
    assert len(BLOCKS[name].splitlines()) < 30


@pytest.mark.parametrize("name", PLUGIN_EXAMPLES)
def test_docs_example_plugin_works(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Load the example exactly as the docs say (TOPCLI_PLUGINS=file) and use what it adds."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    for title, text in BLOCKS.items():
        (folder / title).write_text(text, encoding="utf-8")
    monkeypatch.setenv("TOPCLI_PLUGINS", str(folder / name))
    plugin = Path(name).stem

    catalog.frameworks()
    catalog.exporters()
    catalog.with_plugin_questions(catalog.resolve_framework("top"))
    record = get_plugins().records[plugin]
    assert record.problems == [] and get_plugins().warnings == []
    assert record.contributions, f"{name} contributes nothing"

    kinds = {c.split()[0] for c in record.contributions}
    frameworks = {c.split()[1] for c in record.contributions if c.startswith("framework ")}
    frameworks |= {
        c.split()[-1].split("/")[0] for c in record.contributions if c.startswith("question ")
    }
    for framework_id in sorted(frameworks or {"top"}):
        framework = catalog.with_plugin_questions(catalog.resolve_framework(framework_id))
        answers = write_answers(
            tmp_path / f"{framework_id}.yaml", sample_answers(framework), framework=framework_id
        )
        result = start(answers)
        assert result.exit_code == 0, result.output
    sessions = stored_sessions()
    if "question" in kinds:
        added = {q.id: q.source for s in sessions for _, q in s.framework.questions() if q.source}
        assert added and set(added.values()) == {plugin}
        assert all(any(qid in s.answers for s in sessions) for qid in added)
    if "exporter" in kinds:
        (exporter_name,) = (c.split()[1] for c in record.contributions)
        session = sessions[0]
        by_format = run_cli(["plan", "export", session.id, "--format", exporter_name])
        by_flag = run_cli(["plan", "export", session.id, f"--{exporter_name}"])
        assert by_format.exit_code == 0, by_format.output
        assert by_format.stdout == by_flag.stdout
        assert session.framework.question("career_so_far").prompt in by_format.stdout


def test_docs_example_test_for_a_plugin_passes(tmp_path: Path) -> None:
    for title in ("our_values.py", "test_our_values.py"):
        (tmp_path / title).write_text(BLOCKS[title], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_our_values.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_docs_packaging_example_matches_the_acme_plugin() -> None:
    documented = tomllib.loads(BLOCKS["pyproject.toml"])
    acme = tomllib.loads((ROOT / "plugins" / "topcli-acme" / "pyproject.toml").read_text())
    assert documented["project"]["entry-points"] == {"topcli": {"acme": "topcli_acme"}}
    assert documented["project"]["entry-points"] == acme["project"]["entry-points"]
    assert documented["build-system"] == acme["build-system"]
    assert documented["tool"] == acme["tool"]


def test_docs_name_every_way_to_load_a_plugin() -> None:
    text = DOC.read_text(encoding="utf-8")
    from topcli.plugins import ENTRY_POINT_GROUP

    for needle in (
        "TOPCLI_PLUGINS",
        "TOPCLI_DISABLE_PLUGIN_AUTOLOAD",
        f"[project.entry-points.{ENTRY_POINT_GROUP}]",
        "topcli plugins list",
        "from topcli import hookimpl",
    ):
        assert needle in text


def test_docs_json_listing_has_the_keys_plugins_list_prints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example = next(
        t.content for t in TOKENS if t.type == "fence" and '"origin": "package' in t.content
    )
    documented = json.loads(example[example.index("[") :])
    monkeypatch.setenv("TOPCLI_PLUGINS", str(DATA / "our_values.py"))
    (listed,) = json.loads(run_cli(["plugins", "list", "--json"]).stdout)
    assert list(documented[0]) == list(listed)


def test_plugin_time_limit_default_is_the_documented_one() -> None:
    from topcli.guard import DEFAULT_TIMEOUT, TIMEOUT_VARIABLE

    text = DOC.read_text(encoding="utf-8")
    assert f"`{TIMEOUT_VARIABLE}=SECONDS` | How long one hook call may run" in text
    assert f"(default {DEFAULT_TIMEOUT:g}; `0`" in text
