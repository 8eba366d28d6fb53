"""Publish a finished run: check every stage left its manifest, then switch pointers atomically.

Standard library only, so that the same file runs on an Airflow worker and, passed as
`python3 -c <this source>`, in the publish pod of any python image.

    publish.py --root /data --run runs/<dag>/<key> --stage features --stage ... \
        [--shards content-similarity=3] --link latest=. --link models/tfidf-current=content-similarity

A stage given `--shards STAGE=N` ran as N pods: each of `STAGE/shard-<i>-of-<N>/` must hold its
manifest (the layout tasks/core's StageOutput reads as one table).

Each pointer is a relative symlink, created under a temporary name next to it and renamed over
the old one: rename(2) replaces a symlink atomically, so a reader sees the old run or the new one,
never a half-written directory or a missing pointer.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MANIFEST = "manifest.json"


class PublishError(Exception):
    pass


def shard_dir(stage: str, index: int, count: int) -> str:
    return f"{stage}/shard-{index}-of-{count}"


def check_stages(run_dir: Path, stages: list[str], shards: dict[str, int] | None = None) -> None:
    """Every stage's manifest, or with `shards[stage] = n` every one of its n shards' manifests."""
    outputs = []
    for stage in stages:
        count = (shards or {}).get(stage, 1)
        outputs += [stage] if count == 1 else [shard_dir(stage, i, count) for i in range(count)]
    missing = [output for output in outputs if not (run_dir / output / MANIFEST).is_file()]
    if missing:
        raise PublishError(f"{run_dir}: no {MANIFEST} for {missing}; not publishing an unfinished run")


def switch_pointer(root: Path, pointer: str, target: Path) -> Path:
    """Point `root/pointer` at `target` (an existing directory) by atomic rename; return the link path."""
    link = root / pointer
    if not target.is_dir():
        raise PublishError(f"{target} is not a directory")
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link} exists and is not a symlink; refusing to replace it")
    link.parent.mkdir(parents=True, exist_ok=True)
    relative = os.path.relpath(target, start=link.parent)
    temporary = link.parent / f".{link.name}.tmp-{os.getpid()}"
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(relative, temporary)
    os.replace(temporary, link)
    return link


def publish(root: Path, run: str, stages: list[str], links: list[tuple[str, str]],
            shards: dict[str, int] | None = None) -> list[Path]:
    run_dir = root / run
    check_stages(run_dir, stages, shards)
    return [switch_pointer(root, pointer, run_dir / target) for pointer, target in links]


def _link(spec: str) -> tuple[str, str]:
    pointer, sep, target = spec.partition("=")
    if not sep or not pointer or not target or pointer.startswith("/") or ".." in Path(pointer).parts:
        raise argparse.ArgumentTypeError(f"expected POINTER=TARGET below the root, got {spec!r}")
    return pointer, target


def _shards(spec: str) -> tuple[str, int]:
    stage, sep, count = spec.partition("=")
    if not sep or not stage or not count.isdigit() or int(count) < 1:
        raise argparse.ArgumentTypeError(f"expected STAGE=N with N >= 1, got {spec!r}")
    return stage, int(count)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="publish", description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, type=Path, help="data root")
    parser.add_argument("--run", required=True, help="run directory, relative to the root")
    parser.add_argument("--stage", action="append", default=[], help="stage directory that must hold a manifest")
    parser.add_argument("--shards", action="append", type=_shards, default=[],
                        help="STAGE=N: the stage ran as N shards, each must hold a manifest")
    parser.add_argument("--link", action="append", type=_link, default=[], help="POINTER=TARGET (TARGET relative to the run)")
    args = parser.parse_args(argv)
    try:
        for link in publish(args.root, args.run, args.stage, args.link, dict(args.shards)):
            print(f"published {link} -> {os.readlink(link)}", flush=True)
    except PublishError as error:
        print(f"publish refused: {error}", file=sys.stderr, flush=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
