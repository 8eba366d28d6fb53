"""Run a stage as a local process instead of a pod, so that a whole DAG runs on one machine."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException

# bin/recstage exit codes that another try cannot fix: usage/config (2), input data (3), memory budget (4).
PERMANENT_EXIT_CODES = {2: "usage or configuration", 3: "input data", 4: "memory budget"}


class LocalProcessOperator(BaseOperator):
    """Runs `command + arguments` with `env_vars` added to the worker's environment, logging its output.

    A pod's counterpart: `arguments` and `env_vars` are templated the same way as the
    KubernetesPodOperator's, and a non-zero exit fails the task (without retries for the
    stage exit codes that mean the input or configuration is wrong).
    """

    template_fields: Sequence[str] = ("arguments", "env_vars")
    ui_color = "#e8f4e8"

    def __init__(
        self,
        *,
        command: Sequence[str],
        arguments: Sequence[str] = (),
        env_vars: Mapping[str, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.command = list(command)
        self.arguments = list(arguments)
        self.env_vars = dict(env_vars or {})
        self._process: subprocess.Popen | None = None

    def execute(self, context) -> None:
        argv = [*self.command, *self.arguments]
        self.log.info("Running %s", " ".join(argv))
        env = {**os.environ, **{key: str(value) for key, value in self.env_vars.items()}}
        with subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        ) as process:
            self._process = process
            for line in process.stdout:
                self.log.info("%s", line.rstrip("\n"))
            code = process.wait()
        if code == 0:
            return
        if code in PERMANENT_EXIT_CODES:
            raise AirflowFailException(f"{argv[0]} exited {code} ({PERMANENT_EXIT_CODES[code]}); not retrying")
        raise AirflowException(f"{argv[0]} exited {code}")

    def on_kill(self) -> None:
        # Airflow kills the task (timeout, mark failed): do not leave the stage running unsupervised.
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
