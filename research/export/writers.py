"""The data file of an export in four formats, written from a stream of PostgreSQL.

Every writer gets the final SELECT (research.export.engine) and reads it in one of two flat-
memory ways: `COPY (…) TO STDOUT` in CSV, block by block (CSV itself, Parquet through Arrow's
streaming CSV reader, SPSS), or a server-side cursor in batches (XLSX, row by row). Memory:

- CSV: one COPY block at a time.
- Parquet: one Arrow record batch (BLOCK_SIZE bytes of CSV) at a time, via ParquetWriter.
- XLSX: xlsxwriter's constant_memory mode (one row in memory), cursor batches of BATCH rows.
  Excel holds at most 1,048,575 data rows: a larger export is refused before anything is written.
- SPSS .sav: pyreadstat writes a whole data frame at once (it has no append), so the data is read
  in full, as numeric codes (8 bytes a cell) plus the pseudonyms as text (about 70 bytes each):
  about 1M rows x 12 columns in 150 MB. A larger export is refused (SAV_MAX_CELLS).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from research.export.rules import ONBEKEND, ONDERDRUKT, SPECIAL

BATCH = 10_000
BLOCK_SIZE = 4 << 20
XLSX_MAX_ROWS = 1_048_575
SAV_MAX_CELLS = 15_000_000

Progress = Callable[[int], None]  # rows written so far


@dataclass(frozen=True)
class Column:
    name: str
    label_nl: str
    label_en: str
    type: str  # "category" | "set" | "integer" | "pseudonym"
    categories: tuple[tuple[str, str, str], ...]  # (code, nl, en), without the special codes
    level: str = ""
    quasi: bool = False
    data_class: str = ""

    def spss_codes(self) -> dict[str, int]:
        codes = {code: number for number, (code, _nl, _en) in enumerate(self.categories, 1)}
        codes.update({code: value[2] for code, value in SPECIAL.items()})
        return codes

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label_nl": self.label_nl,
            "label_en": self.label_en,
            "type": self.type,
            "level": self.level,
            "quasi_identifier": self.quasi,
            "data_class": self.data_class,
            "categories": [
                {"code": code, "label_nl": nl, "label_en": en} for code, nl, en in self.categories
            ]
            + (
                [
                    {"code": code, "label_nl": nl, "label_en": en, "spss": spss}
                    for code, (nl, en, spss) in SPECIAL.items()
                ]
                if self.type in ("category", "set")
                else []
            ),
        }


class CopyStream(io.RawIOBase):
    """A readable file over the blocks of a COPY … TO STDOUT."""

    def __init__(self, blocks: Iterable, on_block: Callable[[bytes], None] | None = None):
        self._blocks: Iterator = iter(blocks)
        self._view = memoryview(b"")
        self._on_block = on_block

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._view:
            try:
                block = bytes(next(self._blocks))
            except StopIteration:
                return 0
            if self._on_block:
                self._on_block(block)
            self._view = memoryview(block)
        size = min(len(buffer), len(self._view))
        buffer[:size] = self._view[:size]
        self._view = self._view[size:]
        return size


def copy_sql(query: str, delimiter: str = ",") -> str:
    if delimiter not in (",", ";"):
        raise ValueError(delimiter)
    return (
        f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER '{delimiter}', "
        "ENCODING 'UTF8')"
    )


def _line_counter(progress: Progress | None):
    """Counts the lines of the COPY blocks; reports every BATCH rows, not every block."""
    state = {"done": -1, "told": 0}  # -1: the header line

    def count(block: bytes) -> None:
        state["done"] += block.count(b"\n")
        if progress and state["done"] - state["told"] >= BATCH:
            state["told"] = state["done"]
            progress(state["done"])

    return count


def write_csv(raw, query: str, params: dict, out, *, delimiter: str, progress: Progress | None):
    """COPY straight into `out` (a binary file): PostgreSQL formats, Python only passes on."""
    count = _line_counter(progress)
    with raw.cursor() as cursor, cursor.copy(copy_sql(query, delimiter), params) as copy:
        for block in copy:
            block = bytes(block)
            out.write(block)
            count(block)


def _arrow_types(columns: list[Column]):
    import pyarrow as pa

    return {c.name: pa.int64() if c.type == "integer" else pa.string() for c in columns}


def write_parquet(raw, query: str, params: dict, path: Path, *, columns, progress, metadata):
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    fields = []
    for c in columns:
        kind = pa.int64() if c.type == "integer" else pa.string()
        if c.type in ("category", "set"):
            kind = pa.dictionary(pa.int32(), pa.string())
        meta = {"label_nl": c.label_nl, "label_en": c.label_en, "type": c.type, "level": c.level}
        fields.append(pa.field(c.name, kind, metadata={k: str(v) for k, v in meta.items()}))
    schema = pa.schema(fields, metadata={"codebook": json.dumps(metadata, ensure_ascii=False)})
    done = 0
    with raw.cursor() as cursor, cursor.copy(copy_sql(query), params) as copy:
        stream = io.BufferedReader(CopyStream(copy), buffer_size=1 << 20)
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE, use_threads=False),
            convert_options=pacsv.ConvertOptions(
                column_types=_arrow_types(columns), strings_can_be_null=False
            ),
        )
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            for batch in reader:
                arrays = [
                    batch.column(i).dictionary_encode()
                    if c.type in ("category", "set")
                    else batch.column(i)
                    for i, c in enumerate(columns)
                ]
                writer.write_batch(pa.record_batch(arrays, schema=schema))
                done += batch.num_rows
                if progress:
                    progress(done)
    return done


def write_xlsx(raw, query: str, params: dict, path: Path, *, columns, progress):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet("data")
        sheet.write_row(0, 0, [c.name for c in columns])
        done = 0
        with raw.cursor(name="research_export_rows") as cursor:
            cursor.itersize = BATCH
            cursor.execute(query, params)
            while rows := cursor.fetchmany(BATCH):
                for row in rows:
                    done += 1
                    sheet.write_row(done, 0, row)
                if progress:
                    progress(done)
        labels = workbook.add_worksheet("variabelen")
        labels.write_row(0, 0, ["naam", "label (nl)", "label (en)", "type"])
        for i, c in enumerate(columns, 1):
            labels.write_row(i, 0, [c.name, c.label_nl, c.label_en, c.type])
    finally:
        workbook.close()
    return done


def write_sav(raw, query: str, params: dict, path: Path, *, columns, progress, label: str):
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyreadstat

    with raw.cursor() as cursor, cursor.copy(copy_sql(query), params) as copy:
        stream = io.BufferedReader(CopyStream(copy), buffer_size=1 << 20)
        table = pacsv.read_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE, use_threads=False),
            convert_options=pacsv.ConvertOptions(
                column_types=_arrow_types(columns), strings_can_be_null=False
            ),
        )
    data: dict[str, object] = {}
    value_labels: dict[str, dict[float, str]] = {}
    missing: dict[str, list] = {}
    measure: dict[str, str] = {}
    for c in columns:
        column = table.column(c.name)
        if c.type == "category":
            codes = c.spss_codes()
            values = pa.array(list(codes), pa.string())
            index = pc.index_in(column, value_set=values).fill_null(-1).to_numpy()
            numbers = np.array(list(codes.values()), dtype=np.float64)
            # a code outside the codebook can't happen (the codebook lists what was released);
            # if it did, it would be written as system-missing rather than as a wrong category
            data[c.name] = np.where(index >= 0, numbers[index], np.nan)
            value_labels[c.name] = {
                float(number): label
                for label, number in (
                    [(nl, codes[code]) for code, nl, _en in c.categories]
                    + [(nl, spss) for _code, (nl, _en, spss) in SPECIAL.items()]
                )
            }
            missing[c.name] = [float(SPECIAL[ONBEKEND][2]), float(SPECIAL[ONDERDRUKT][2])]
            measure[c.name] = "nominal"
        elif c.type == "integer":
            data[c.name] = column.to_numpy().astype(np.float64)
            measure[c.name] = "scale"
        else:
            data[c.name] = column.to_pylist()
            measure[c.name] = "nominal"
        del column
    rows = table.num_rows
    del table
    frame = pd.DataFrame(data, columns=[c.name for c in columns])
    del data
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=label[:64],
        column_labels={c.name: c.label_nl[:256] for c in columns},
        variable_value_labels=value_labels,
        missing_ranges=missing,
        variable_measure=measure,
        compress=False,
        row_compress=True,
    )
    if progress:
        progress(rows)
    return rows
