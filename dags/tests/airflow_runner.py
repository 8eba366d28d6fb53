"""`airflow dags test` in a throwaway Airflow home: SQLite metadata DB, the heavy pool, local execution mode."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import DAGS_DIR

AIRFLOW = Path(sys.executable).with_name("airflow")


class AirflowHome:
    def __init__(self, home: Path, data_root: Path, recstage_home: Path) -> None:
        self.home = home
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "RECSTAGE_"))},
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "RECSTAGE_EXECUTION_MODE": "local",
            "RECSTAGE_DATA_ROOT": str(data_root),
            "RECSTAGE_HOME": str(recstage_home),
        }
        home.mkdir(parents=True, exist_ok=True)
        self.airflow("db", "migrate")
        self.airflow("pools", "set", "recstage_heavy", "1", "recstage heavy stages, one at a time")

    def airflow(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(AIRFLOW), *args], env=self.env, capture_output=True, text=True, timeout=1800)
        log = self.home / "commands.log"
        with log.open("a") as out:
            out.write(f"$ airflow {' '.join(args)}\n{done.stdout}\n{done.stderr}\n")
        if check and done.returncode != 0:
            raise AssertionError(f"airflow {' '.join(args)} exited {done.returncode}; see {log}\n{done.stderr[-3000:]}")
        return done

    def dags_test(self, dag_id: str, logical_date: str) -> str:
        """Run the DAG once to completion; return the final state of its newest run."""
        self.airflow("dags", "test", dag_id, logical_date, check=False)
        return self.last_run_state(dag_id)

    def last_run_state(self, dag_id: str) -> str | None:
        with sqlite3.connect(self.home / "airflow.db") as db:
            row = db.execute(
                "select state from dag_run where dag_id = ? order by id desc limit 1", (dag_id,)
            ).fetchone()
        return row[0] if row else None

    def task_states(self, dag_id: str) -> dict[str, str]:
        with sqlite3.connect(self.home / "airflow.db") as db:
            run_id = db.execute("select run_id from dag_run where dag_id = ? order by id desc limit 1", (dag_id,)).fetchone()[0]
            rows = db.execute("select task_id, state from task_instance where dag_id = ? and run_id = ?", (dag_id, run_id))
            return dict(rows.fetchall())
