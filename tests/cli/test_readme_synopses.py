"""Every command's synopsis in README.md names exactly the options of its `--help` (issue 15: the
behaviour stage's synopsis had lost --batch-size)."""

from __future__ import annotations

import re
import subprocess

import pytest

from recipes import README, ROOT, require

COMMANDS = ("features", "content-similarity", "behavior-cooccurrence", "generate", "inspect", "export", "browse")
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
_HELP_OPTION = re.compile(r"^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)", re.M)
_NOT_IN_SYNOPSES = {"--help", "--version"}


def synopses() -> dict[str, set[str]]:
    """Options of each `bin/recstage COMMAND …[…]…` line (with its continuation lines) of the README's bash blocks."""
    found: dict[str, set[str]] = {}
    for block in re.findall(r"^```bash\n(.*?)^```$", README.read_text(encoding="utf-8"), re.M | re.S):
        for command in re.split(r"(?<!\\)\n", block):
            command = command.replace("\\\n", " ")
            match = re.match(r"\s*bin/recstage ([a-z-]+) ", command)
            if match and "[" in command:  # a synopsis, not a recipe's concrete command
                found.setdefault(match[1], set()).update(_OPTION.findall(command))
    return found


def help_options(command: str) -> set[str]:
    done = subprocess.run([str(ROOT / "bin" / "recstage"), command, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(_HELP_OPTION.findall(done.stdout)) - _NOT_IN_SYNOPSES


def test_the_readme_has_a_synopsis_of_every_command():
    assert set(synopses()) >= set(COMMANDS), sorted(set(COMMANDS) - set(synopses()))


# The fixed list must have synopses; any other command with one (recommend, once its section has it) is checked as well.
@pytest.mark.parametrize("command", sorted(set(COMMANDS) | set(synopses())))
def test_synopsis_names_the_options_of_help(command):
    require((ROOT / "tasks/tools/target/quarkus-app/quarkus-run.jar").is_file(), "the stages are not built (./mvnw package)")
    documented = synopses().get(command, set())
    actual = help_options(command)
    assert documented == actual, (f"README synopsis of {command}: missing {sorted(actual - documented)}, "
                                  f"not an option {sorted(documented - actual)}")
