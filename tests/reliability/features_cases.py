"""The bad-input corpus of the features stage: each case is its input files and its expected outcome.

Small inputs are files under corpus/features/<dir>/ (exact bytes: BOM, CRLF, invalid UTF-8); big
ones (a 10 MB field, a 100 MB line) and binary ones (gzip, Arrow embeddings) are made by the
generators below at test time. The base catalogue is corpus/features/base: 12 items i01..i12 and
39 interactions of users u1..u6, in CSV and JSON Lines. Line numbers are physical lines of the
file (the header is line 1); for embeddings they are 1-based row numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

import harness

CORPUS = Path(__file__).parent / "corpus" / "features"
BASE_IDS = [f"i{n:02d}" for n in range(1, 13)]
BASE_INTERACTIONS = 39
PERMISSIVE = ("--max-reject-ratio", "0.5")  # cases about single rejected rows in a 12-row file


def epoch(text: str) -> int:
    """Seconds since 1970 of an ISO-8601 time with a zone."""
    return int(dt.datetime.fromisoformat(text).timestamp())


# --- inputs -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Corpus:
    """A committed file, relative to corpus/features."""
    path: str

    def materialize(self, tmp: Path) -> Path:
        return CORPUS / self.path

    def describe(self) -> str:
        return self.path


@dataclass(frozen=True)
class Generated:
    """A file written at test time by `write(path)`."""
    name: str
    description: str
    write: Callable[[Path], None]

    def materialize(self, tmp: Path) -> Path:
        path = tmp / self.name
        self.write(path)
        return path

    def describe(self) -> str:
        return f"{self.name}: {self.description}"


@dataclass(frozen=True)
class Missing:
    name: str

    def materialize(self, tmp: Path) -> Path:
        return tmp / "does-not-exist" / self.name

    def describe(self) -> str:
        return f"{self.name}: no such file"


BASE_ITEMS = Corpus("base/items.csv")
BASE_EVENTS = Corpus("base/interactions.csv")


def base_bytes(name: str) -> bytes:
    return (CORPUS / "base" / name).read_bytes()


def _with_items_row(row: bytes | Callable[[], bytes], newline: bool = True) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with open(path, "wb") as out:
            out.write(base_bytes("items.csv"))
            out.write(row() if callable(row) else row)
            if newline:
                out.write(b"\n")
    return write


def _write_10mb_field(path: Path) -> None:
    _with_items_row(lambda: b'i13,Huge,"' + b"y" * (10 * 1024 * 1024) + b'",x,Climate,2023-10-01T00:00:00Z')(path)


def _write_endless_line(base: str, line_start: bytes) -> Callable[[Path], None]:
    """The base file, then a line that starts with `line_start` and goes on for 100 MB without a newline."""
    def write(path: Path) -> None:
        with open(path, "wb") as out:
            out.write(base_bytes(base))
            out.write(line_start)
            chunk = b"z" * (1024 * 1024)
            for _ in range(100):
                out.write(chunk)
    return write


# Each: an unfinished description of 100 MB, no newline at the end of the file.
_write_100mb_csv_line = _write_endless_line("items.csv", b"i13,Endless,")
_write_100mb_jsonl_line = _write_endless_line("items.jsonl", b'{"item_id": "i13", "description": "')


def _write_gzip(name: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(gzip.compress(base_bytes(name), mtime=0))
    return write


def _write_truncated_gzip(name: str) -> Callable[[Path], None]:
    """A gzip of the base file grown to 2,000 rows (so that the cut falls inside the data), cut in half."""
    def write(path: Path) -> None:
        lines = base_bytes(name).splitlines(keepends=True)
        body = lines[0] + b"".join(lines[1 + n % (len(lines) - 1)].replace(b"i", b"i%d-" % n, 1) for n in range(2000))
        packed = gzip.compress(body, mtime=0)
        path.write_bytes(packed[: len(packed) // 2])
    return write


def _write_deep_json(depth: int, line_key: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        nested = "[" * depth + "]" * depth
        row = f'{{"item_id": "i13", "title": "Deep", "{line_key}": {nested}, "create_time": "2023-10-01T00:00:00Z"}}'
        path.write_bytes(base_bytes("items.jsonl") + row.encode() + b"\n")
    return write


# --- embeddings ---------------------------------------------------------------------------------------

DIM = 4


def base_vector(item_id: str) -> list[float]:
    n = int(item_id[1:])
    return [float(n), n + 0.5, -float(n), 1.0 / n]


def _embeddings(rows: list[tuple[str | None, list[float] | None]], fixed: bool = True) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        ids = pa.array([r[0] for r in rows], pa.string())
        if fixed:
            flat = pa.array([v for _, vec in rows for v in vec], pa.float32())
            vectors = pa.FixedSizeListArray.from_arrays(flat, DIM)
        else:
            vectors = pa.array([r[1] for r in rows], pa.list_(pa.float32()))
        table = pa.table({"item_id": ids, "embedding": vectors})
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=5)  # several record batches
    return write


def _base_vectors(change: dict[int, list[float]] | None = None, drop: tuple[str, ...] = ()) -> list:
    change = change or {}
    rows = [(i, base_vector(i)) for i in BASE_IDS if i not in drop]
    return [(item, change.get(n, vec)) for n, (item, vec) in enumerate(rows, 1)]


def _write_int_ids(path: Path) -> None:
    table = pa.table({"item_id": pa.array(range(1, 13), pa.int64()),
                      "embedding": pa.array([base_vector(i) for i in BASE_IDS], pa.list_(pa.float32()))})
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _write_random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(6).randbytes(4096))


def _write_truncated_embeddings(path: Path) -> None:
    _embeddings(_base_vectors())(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


# --- expectations --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    exit: int = 0
    # Regular expressions that the one-line `error:` message must match.
    error: tuple[str, ...] = ()
    # Exact set of (file, line, reason) rows of rejects.csv; checked on success.
    rejects: frozenset = frozenset()
    # Further checks of a successful output, and what they prove (for the table).
    check: Callable[[Path], None] | None = None
    checks: str = ""

    def describe(self) -> str:
        if self.exit != 0:
            return f"exit {self.exit}, message matching " + " and ".join(f"`{e}`" for e in self.error)
        text = "exit 0"
        if self.rejects:
            text += "; rejects " + ", ".join(f"{f}:{line} {reason}" for f, line, reason in sorted(self.rejects))
        else:
            text += "; no rejects"
        if self.checks:
            text += "; " + self.checks
        return text


def rejects(*rows: tuple[str, int, str]) -> frozenset:
    return frozenset(rows)


def column(out: Path, file: str, name: str) -> list:
    return harness.read_table(out / file).column(name).to_pylist()


def epochs(out: Path, file: str, name: str) -> list[int]:
    return harness.read_table(out / file).column(name).cast(pa.int64()).to_pylist()


def _ids_are(expected: list[str]) -> Callable[[Path], None]:
    def check(out: Path) -> None:
        assert sorted(column(out, "items.arrow", "item_id")) == sorted(expected)
    return check


def _base_output(out: Path, interactions: int = BASE_INTERACTIONS) -> None:
    assert column(out, "items.arrow", "item_id") == BASE_IDS
    base = list(csv.DictReader(io.StringIO(base_bytes("items.csv").decode())))
    assert column(out, "items.arrow", "title") == [r["title"] for r in base]
    assert epochs(out, "items.arrow", "create_time") == [epoch(r["create_time"]) for r in base]
    assert harness.read_table(out / "interactions.arrow").num_rows == interactions


def _all(*checks: Callable[[Path], None]) -> Callable[[Path], None]:
    def check(out: Path) -> None:
        for c in checks:
            c(out)
    return check


def _no_carriage_returns(out: Path) -> None:
    for file in ("items.arrow", "users.arrow"):
        table = harness.read_table(out / file)
        for name in table.column_names:
            if pa.types.is_string(table.schema.field(name).type) or pa.types.is_dictionary(table.schema.field(name).type):
                assert not any("\r" in str(v) for v in table.column(name).to_pylist() if v is not None), f"{file}:{name} holds \\r"
    assert column(out, "items.arrow", "category")[0] == "Climate"


def _quoted_newlines(out: Path) -> None:
    titles = dict(zip(column(out, "items.arrow", "item_id"), column(out, "items.arrow", "title")))
    descriptions = dict(zip(column(out, "items.arrow", "item_id"), column(out, "items.arrow", "description")))
    assert titles["i02"] == "Rainfall\nforecasts"
    assert descriptions["i02"] == 'Forecast rainfall,\nnext week, "seven" days'


MIXED_TIMESTAMPS = 1704164645  # 2024-01-02T03:04:05Z


def _mixed_timestamps(out: Path) -> None:
    midnight = MIXED_TIMESTAMPS - (3 * 3600 + 4 * 60 + 5)
    # corpus/features/mixed-timestamps/items.csv: every form of the same instant, one bare date.
    assert epochs(out, "items.arrow", "create_time") == [MIXED_TIMESTAMPS] * 3 + [midnight] + [MIXED_TIMESTAMPS] * 8


def _old_and_future(out: Path) -> None:
    created = dict(zip(column(out, "items.arrow", "item_id"), epochs(out, "items.arrow", "create_time")))
    assert created["i01"] == epoch("1960-05-01T00:00:00Z")
    assert created["i02"] == -86400
    assert created["i03"] == epoch("1900-01-01T00:00:00Z")
    assert created["i04"] == epoch("9999-12-31T23:59:59Z")
    assert created["i05"] == epoch("2100-01-01T00:00:00Z")
    times = sorted(epochs(out, "interactions.arrow", "ts"))
    assert times[0] == -1 and times[-1] == epoch("2100-06-01T00:00:00Z")
    assert harness.read_manifest(out)["stats"]["as_of"] == "2100-06-01T00:00:00Z"


def _duplicates(out: Path) -> None:
    titles = dict(zip(column(out, "items.arrow", "item_id"), column(out, "items.arrow", "title")))
    assert sorted(titles) == BASE_IDS
    assert titles["i03"] == "River levels v2"   # the newer of two conflicting rows
    assert titles["i07"] == "Air quality"       # the older duplicate lost
    assert harness.read_manifest(out)["stats"]["identical_item_rows_merged"] == 1


def _kept_weights(path: str, rejected_lines: set[int]) -> Callable[[Path], None]:
    def check(out: Path) -> None:
        rows = list(csv.reader(io.StringIO((CORPUS / path).read_text())))
        expected = sorted(float(r[4]) for line, r in enumerate(rows[1:], 2) if line not in rejected_lines)
        assert sorted(column(out, "interactions.arrow", "weight")) == expected
    return check


def _jsonl_weights(out: Path) -> None:
    # interactions.jsonl: weight 1 on line 1, 2.5 on line 6, absent elsewhere (1.0); lines 3 and 5 rejected.
    weights = sorted(column(out, "interactions.arrow", "weight"))
    assert weights == sorted([1.0] * (BASE_INTERACTIONS - 3) + [2.5])


def _header_only_interactions(out: Path) -> None:
    assert harness.read_table(out / "interactions.arrow").num_rows == 0
    assert harness.read_table(out / "users.arrow").num_rows == 0
    assert harness.read_table(out / "item_features.arrow").num_rows == 12


def _vectors(expected: dict[str, list[float]], without: int) -> Callable[[Path], None]:
    """embeddings.arrow aligned to items.arrow: each item's vector, zeros for items without one."""
    def check(out: Path) -> None:
        ids = column(out, "items.arrow", "item_id")
        table = harness.read_table(out / "embeddings.arrow")
        assert table.column("item").to_pylist() == list(range(len(ids)))
        vectors = np.array(table.column("embedding").to_pylist(), dtype=np.float32)
        for row, item in enumerate(ids):
            want = np.array(expected.get(item, [0.0] * DIM), dtype=np.float32)
            assert np.array_equal(vectors[row], want), f"{item}: {vectors[row]} != {want}"
        stats = harness.read_manifest(out)["stats"]
        assert stats["embedding_dimension"] == DIM and stats["items_without_embedding"] == without
    return check


def _expected_vectors(drop: tuple[str, ...] = (), change: dict[str, list[float]] | None = None) -> dict:
    vectors = {i: base_vector(i) for i in BASE_IDS if i not in drop}
    vectors.update(change or {})
    return vectors


# --- the cases ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    what: str
    items: object = BASE_ITEMS
    interactions: object = BASE_EVENTS
    embeddings: object | None = None
    args: tuple[str, ...] = ()
    expect: Expect = field(default_factory=Expect)

    def describe_input(self) -> str:
        parts = [self.what]
        for source in (self.items, self.interactions, self.embeddings):
            if source is not None and source not in (BASE_ITEMS, BASE_EVENTS):
                parts.append(source.describe())
        if self.args:
            parts.append(" ".join(self.args))
        return "; ".join(parts)


IT, EV, VEC = "items.csv", "interactions.csv", "vectors.arrow"

CSV_CASES = [
    Case("csv-baseline", "the base catalogue, nothing wrong (control)",
         expect=Expect(check=_base_output, checks="ids, titles, times and 39 interactions as in the files")),
    Case("csv-empty-items", "items file of 0 bytes", items=Corpus("empty/items.csv"),
         expect=Expect(3, (r"items\.csv is empty",))),
    Case("csv-empty-interactions", "interactions file of 0 bytes", interactions=Corpus("empty/interactions.csv"),
         expect=Expect(3, (r"interactions\.csv is empty",))),
    Case("csv-header-only-items", "items file with only its header", items=Corpus("header-only/items.csv"),
         expect=Expect(3, (r"items\.csv: no usable item",))),
    Case("csv-header-only-interactions", "interactions file with only its header", interactions=Corpus("header-only/interactions.csv"),
         expect=Expect(3, (r"interactions\.csv: no usable interaction", "--as-of"))),
    Case("csv-header-only-interactions-as-of", "interactions header only, with --as-of", interactions=Corpus("header-only/interactions.csv"),
         args=("--as-of", "2024-04-01T00:00:00Z"),
         expect=Expect(check=_header_only_interactions, checks="0 interactions and users, features for all 12 items")),
    Case("csv-bom", "UTF-8 byte order mark before both headers", items=Corpus("bom/items.csv"), interactions=Corpus("bom/interactions.csv"),
         expect=Expect(check=_base_output, checks="same tables as the base (first id is 'i01', not BOM+'i01')")),
    Case("csv-missing-column-items", "items without item_id", items=Corpus("missing-column/items.csv"),
         expect=Expect(3, (r"items\.csv: missing required column item_id",))),
    Case("csv-missing-column-interactions", "interactions without create_time", interactions=Corpus("missing-column/interactions.csv"),
         expect=Expect(3, (r"interactions\.csv: missing required column create_time",))),
    Case("csv-extra-columns", "an extra first and last column", items=Corpus("extra-columns/items.csv"),
         expect=Expect(check=_base_output, checks="same tables as the base")),
    Case("csv-wrong-delimiter", "items separated by ';'", items=Corpus("semicolon/items.csv"),
         expect=Expect(3, (r"items\.csv: missing required column item_id", "delimiter"))),
    Case("csv-unbalanced-quote", "a quote opened on line 5 and never closed", items=Corpus("unbalanced-quote/items.csv"),
         expect=Expect(3, (r"items\.csv:5\b", "quote"))),
    Case("csv-unbalanced-quote-first-field", "a quote opened at the start of line 7 and never closed",
         items=Corpus("unbalanced-quote-first-field/items.csv"), expect=Expect(3, (r"items\.csv:7\b", "quote"))),
    Case("csv-quoted-newlines", "newlines and doubled quotes inside quoted fields (row i02 spans lines 3-5), empty id on line 16",
         items=Corpus("quoted-newlines/items.csv"), args=PERMISSIVE,
         expect=Expect(rejects=rejects((IT, 16, "empty_id")), check=_quoted_newlines,
                       checks="i02's title and description keep their newlines and quotes")),
    Case("csv-invalid-utf8-items", "bytes FF FE in a title on line 4", items=Corpus("invalid-utf8/items.csv"),
         expect=Expect(3, (r"items\.csv:4(:11)?: ", "UTF-8"))),
    Case("csv-invalid-utf8-interactions", "a cut 2-byte sequence in a user id on line 8", interactions=Corpus("invalid-utf8/interactions.csv"),
         expect=Expect(3, (r"interactions\.csv:8(:2)?: ", "UTF-8"))),
    Case("csv-10mb-field", "base + a quoted description of 10 MB on line 14",
         items=Generated("items.csv", "base + a 10 MB quoted field on line 14", _write_10mb_field), args=PERMISSIVE,
         expect=Expect(rejects=rejects((IT, 14, "text_too_long")), check=_ids_are(BASE_IDS), checks="the 12 base items kept")),
    Case("csv-100mb-line", "base + a line of 100 MB without a newline (line 14)",
         items=Generated("items.csv", "base + 100 MB unquoted line 14, no final newline", _write_100mb_csv_line),
         expect=Expect(3, (r"items\.csv:14\b",))),
    Case("csv-crlf", "CRLF line endings in both files", items=Corpus("crlf/items.csv"), interactions=Corpus("crlf/interactions.csv"),
         expect=Expect(check=_all(_base_output, _no_carriage_returns), checks="same tables as the base, no '\\r' in any value")),
    Case("csv-mixed-timestamps", "12 forms of one instant: Z, +02:00, -05:00, space, bare date, epoch s/ms, fractions, padding",
         items=Corpus("mixed-timestamps/items.csv"),
         expect=Expect(check=_mixed_timestamps, checks="every create_time is 2024-01-02T03:04:05Z (the bare date: midnight)")),
    Case("csv-old-and-future-timestamps", "create_time 1900, 1960, -86400, 2100, 9999-12-31; events at 1969-12-31T23:59:59Z and 2100",
         items=Corpus("old-and-future-timestamps/items.csv"), interactions=Corpus("old-and-future-timestamps/interactions.csv"),
         expect=Expect(check=_old_and_future, checks="exact epoch values, as_of = 2100-06-01")),
    Case("csv-duplicate-ids", "i03 again newer with another title (line 14), i05 repeated identically, i07 again older (line 16)",
         items=Corpus("duplicate-ids/items.csv"), args=PERMISSIVE,
         expect=Expect(rejects=rejects((IT, 4, "duplicate_item_conflict"), (IT, 16, "duplicate_item_conflict")), check=_duplicates,
                       checks="newest i03 kept, identical i05 merged")),
    Case("csv-unknown-items", "interactions for items 'nope04' (line 3) and 'i99' (line 10)",
         interactions=Corpus("unknown-items/interactions.csv"), args=PERMISSIVE,
         expect=Expect(rejects=rejects((EV, 3, "unknown_item"), (EV, 10, "unknown_item")),
                       check=lambda out: _base_output(out, BASE_INTERACTIONS - 2), checks="37 interactions kept")),
    Case("csv-bad-weights", "weights -1, NaN, Infinity, -inf, 'heavy' on lines 3-7", interactions=Corpus("bad-weights/interactions.csv"),
         args=PERMISSIVE,
         expect=Expect(rejects=rejects(*((EV, line, "bad_weight") for line in range(3, 8))),
                       check=_kept_weights("bad-weights/interactions.csv", {3, 4, 5, 6, 7}), checks="the other weights kept exactly")),
    Case("csv-row-rejects", "a row with 7 fields (line 14), a blank id (15), timestamp 'yesterday' (16)",
         items=Corpus("row-rejects/items.csv"), args=PERMISSIVE,
         expect=Expect(rejects=rejects((IT, 14, "wrong_column_count"), (IT, 15, "empty_id"), (IT, 16, "bad_timestamp")),
                       check=_ids_are(BASE_IDS), checks="the 12 base items kept")),
    Case("csv-reject-ratio", "1 bad row of 13 with the default --max-reject-ratio 0.01", items=Corpus("reject-ratio/items.csv"),
         expect=Expect(3, (r"items\.csv: 1 of 13 rows rejected", "--max-reject-ratio", "line 14"))),
    Case("csv-gzip", "both files gzip-compressed",
         items=Generated("items.csv.gz", "gzip of the base", _write_gzip("items.csv")),
         interactions=Generated("interactions.csv.gz", "gzip of the base", _write_gzip("interactions.csv")),
         expect=Expect(check=_base_output, checks="same tables as the base")),
    Case("csv-gzip-truncated", "a 2,000-row items.csv.gz cut in half",
         items=Generated("items.csv.gz", "2,000 rows, gzip cut in half", _write_truncated_gzip("items.csv")),
         expect=Expect(3, (r"items\.csv\.gz:\d+", "(?i)zlib|truncated|gzip"))),
    Case("csv-missing-file", "--items names a file that does not exist", items=Missing("items.csv"),
         expect=Expect(3, (r"--items .*items\.csv: no such file",))),
]

JI = "items.jsonl"
JE = "interactions.jsonl"
BASE_JSONL_ITEMS = Corpus("base/items.jsonl")
BASE_JSONL_EVENTS = Corpus("base/interactions.jsonl")

JSONL_CASES = [
    Case("jsonl-baseline", "the base catalogue as JSON Lines (control)", items=BASE_JSONL_ITEMS, interactions=BASE_JSONL_EVENTS,
         expect=Expect(check=_base_output, checks="same tables as the CSV base")),
    Case("jsonl-not-object", "an array (line 13), a string (14) and a number (15) instead of objects",
         items=Corpus("jsonl-not-object/items.jsonl"), interactions=BASE_JSONL_EVENTS, args=PERMISSIVE,
         expect=Expect(rejects=rejects(*((JI, line, "not_an_object") for line in (13, 14, 15))), check=_ids_are(BASE_IDS))),
    Case("jsonl-first-line-not-object", "the first line is an array", items=Corpus("jsonl-first-not-object/items.jsonl"),
         interactions=BASE_JSONL_EVENTS, expect=Expect(3, (r"items\.jsonl:1\b", "JSON object"))),
    Case("jsonl-wrong-types", "title an object (13), description an array (14), create_time true (15), numbers as text (16); "
         "weight 'heavy' (interactions line 3) and -2 (line 5)",
         items=Corpus("jsonl-wrong-types/items.jsonl"), interactions=Corpus("jsonl-wrong-types/interactions.jsonl"), args=PERMISSIVE,
         expect=Expect(rejects=rejects((JI, 13, "wrong_type"), (JI, 14, "wrong_type"), (JI, 15, "bad_timestamp"),
                                       (JE, 3, "bad_weight"), (JE, 5, "bad_weight")),
                       check=_all(_ids_are(BASE_IDS + ["i16"]), _jsonl_weights),
                       checks="i16 kept (numbers read as text), weights 1 and 2.5 kept")),
    Case("jsonl-deeply-nested", "a value nested 100,000 arrays deep on line 13",
         items=Generated("items.jsonl", "base + 100,000-deep array on line 13", _write_deep_json(100_000, "description")),
         interactions=BASE_JSONL_EVENTS, args=PERMISSIVE,
         expect=Expect(rejects=rejects((JI, 13, "invalid_json")), check=_ids_are(BASE_IDS))),
    Case("jsonl-nested-within-limits", "a value nested 500 arrays deep on line 13",
         items=Generated("items.jsonl", "base + 500-deep array on line 13", _write_deep_json(500, "tags")),
         interactions=BASE_JSONL_EVENTS, args=PERMISSIVE,
         expect=Expect(rejects=rejects((JI, 13, "wrong_type")), check=_ids_are(BASE_IDS))),
    Case("jsonl-truncated-last-line", "the last line (13) cut mid-string, no newline",
         items=Corpus("jsonl-truncated-last-line/items.jsonl"), interactions=BASE_JSONL_EVENTS, args=PERMISSIVE,
         expect=Expect(rejects=rejects((JI, 13, "invalid_json")), check=_ids_are(BASE_IDS))),
    Case("jsonl-invalid-json", "an unterminated object (13) and single quotes (14)",
         items=Corpus("jsonl-invalid-json/items.jsonl"), interactions=BASE_JSONL_EVENTS, args=PERMISSIVE,
         expect=Expect(rejects=rejects((JI, 13, "invalid_json"), (JI, 14, "invalid_json")), check=_ids_are(BASE_IDS))),
    Case("jsonl-100mb-line", "base + a line of 100 MB without a newline (line 13)",
         items=Generated("items.jsonl", "base + 100 MB line 13, no final newline", _write_100mb_jsonl_line),
         interactions=BASE_JSONL_EVENTS, expect=Expect(3, (r"items\.jsonl:13\b", "longer than"))),
    Case("jsonl-gzip-truncated", "a 2,000-row items.jsonl.gz cut in half",
         items=Generated("items.jsonl.gz", "2,000 rows, gzip cut in half", _write_truncated_gzip("items.jsonl")),
         interactions=BASE_JSONL_EVENTS, expect=Expect(3, (r"items\.jsonl\.gz:\d+", "truncated"))),
]

EMBEDDING_CASES = [
    Case("emb-fixed-size", "fixed_size_list<float>[4] for all 12 items (control)",
         embeddings=Generated(VEC, "12 vectors, fixed-size list", _embeddings(_base_vectors())),
         expect=Expect(check=_vectors(_expected_vectors(), 0), checks="vectors aligned to items.arrow")),
    Case("emb-variable-list", "list<float> for all 12 items",
         embeddings=Generated(VEC, "12 vectors, variable list", _embeddings(_base_vectors(), fixed=False)),
         expect=Expect(check=_vectors(_expected_vectors(), 0), checks="vectors aligned to items.arrow")),
    Case("emb-missing-items", "vectors for 10 of the 12 items",
         embeddings=Generated(VEC, "no vector for i04, i09", _embeddings(_base_vectors(drop=("i04", "i09")))),
         expect=Expect(check=_vectors(_expected_vectors(drop=("i04", "i09")), 2), checks="zeros for i04 and i09, counted")),
    Case("emb-wrong-dimension", "rows 3 and 7 have 3 values instead of 4",
         embeddings=Generated(VEC, "rows 3, 7 of dimension 3", _embeddings(_base_vectors({3: [1.0, 2.0, 3.0], 7: [0.5] * 3}), fixed=False)),
         args=PERMISSIVE,
         expect=Expect(rejects=rejects((VEC, 3, "bad_vector"), (VEC, 7, "bad_vector")),
                       check=_vectors(_expected_vectors(drop=("i03", "i07")), 2), checks="zeros for the rejected items")),
    Case("emb-nan-inf", "NaN in row 2, +inf in row 5",
         embeddings=Generated(VEC, "NaN row 2, inf row 5", _embeddings(_base_vectors({2: [1.0, float("nan"), 0.0, 0.0],
                                                                                        5: [float("inf"), 0.0, 0.0, 0.0]}))),
         args=PERMISSIVE,
         expect=Expect(rejects=rejects((VEC, 2, "bad_vector"), (VEC, 5, "bad_vector")),
                       check=_vectors(_expected_vectors(drop=("i02", "i05")), 2), checks="zeros for the rejected items")),
    Case("emb-zero-vectors", "all-zero vectors for i04 and i08",
         embeddings=Generated(VEC, "rows 4, 8 all zeros", _embeddings(_base_vectors({4: [0.0] * 4, 8: [0.0] * 4}))),
         expect=Expect(check=_vectors(_expected_vectors(change={"i04": [0.0] * 4, "i08": [0.0] * 4}), 0),
                       checks="zero vectors kept as given")),
    Case("emb-unknown-ids", "rows 13, 14 for ids not in the catalogue",
         embeddings=Generated(VEC, "+ x1, x2", _embeddings(_base_vectors() + [("x1", [1.0] * 4), ("x2", [2.0] * 4)])), args=PERMISSIVE,
         expect=Expect(rejects=rejects((VEC, 13, "unknown_item"), (VEC, 14, "unknown_item")),
                       check=_vectors(_expected_vectors(), 0))),
    Case("emb-duplicate-id", "row 13 repeats i01 with other values",
         embeddings=Generated(VEC, "+ i01 again", _embeddings(_base_vectors() + [("i01", [9.0] * 4)])), args=PERMISSIVE,
         expect=Expect(rejects=rejects((VEC, 13, "bad_vector")), check=_vectors(_expected_vectors(), 0), checks="the first i01 vector kept")),
    Case("emb-wrong-schema", "item_id is int64", embeddings=Generated(VEC, "item_id: int64", _write_int_ids),
         expect=Expect(3, (r"vectors\.arrow: expected columns item_id",))),
    Case("emb-random-bytes", "4 KB of random bytes", embeddings=Generated(VEC, "random bytes", _write_random_bytes),
         expect=Expect(3, (r"vectors\.arrow is not a readable Arrow IPC file",))),
    Case("emb-truncated", "an embeddings file cut at two thirds", embeddings=Generated(VEC, "cut at 2/3", _write_truncated_embeddings),
         expect=Expect(3, (r"vectors\.arrow is not a readable Arrow IPC file",))),
]

ALL = CSV_CASES + JSONL_CASES + EMBEDDING_CASES
