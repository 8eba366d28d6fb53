"""README's Real data recipes, run exactly as written (tests/browser/recipes.py), and the neighbours
the README quotes checked on their output."""

from __future__ import annotations

import pyarrow.ipc

from conftest import ARTEFACTS
from recipes import DATA, ROOT, recipes, require, run_recipe


def neighbours(run, stage_file: str, title: str, count: int) -> list[str]:
    """Titles of the first `count` neighbours of the item titled `title`."""
    items = pyarrow.ipc.open_file(run / "features" / "items.arrow").read_all()
    titles = dict(zip(items.column("item_id").to_pylist(), items.column("title").to_pylist()))
    item_id = next(i for i, t in titles.items() if t == title)
    table = pyarrow.ipc.open_file(run / stage_file).read_all()
    rows = [(n, r) for i, n, r in zip(table.column("item_id").to_pylist(), table.column("neighbor_id").to_pylist(),
                                      table.column("rank").to_pylist()) if i == item_id]
    return [titles[n] for n, _ in sorted(rows, key=lambda row: row[1])[:count]]


def test_the_readme_marks_both_recipes():
    assert set(recipes()) >= {"movielens", "goodbooks"}, recipes().keys()


def test_movielens_recipe(movielens_run):
    top = neighbours(movielens_run, "behavior/behavior_neighbors.arrow", "Toy Story (1995)", 5)
    assert top[0] == "Toy Story 2 (1999)", top
    matrix = neighbours(movielens_run, "behavior/behavior_neighbors.arrow", "Matrix, The (1999)", 3)
    assert matrix[0] == "Fight Club (1999)", matrix
    content = neighbours(movielens_run, "content/content_neighbors.arrow", "Toy Story (1995)", 2)
    assert content == ["Toy Story 2 (1999)", "Toy Story 3 (2010)"], content


def test_goodbooks_recipe():
    require((DATA / "goodbooks-10k" / "books.csv").is_file(), f"goodbooks-10k absent under {DATA}")
    run_recipe("goodbooks", ARTEFACTS / "recipe-goodbooks.log")
    run = ROOT / "runs" / "goodbooks"
    hunger = neighbours(run, "content/content_neighbors.arrow", "The Hunger Games (The Hunger Games, #1)", 4)
    assert "Mockingjay (The Hunger Games, #3)" in hunger and "Catching Fire (The Hunger Games, #2)" in hunger, hunger
    gatsby = neighbours(run, "content/content_neighbors.arrow", "The Great Gatsby", 2)
    assert gatsby[0] == "The Beautiful and Damned", gatsby
