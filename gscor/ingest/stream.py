"""The body of a delimited-text export, streamed: bounded memory, parsed in C++ by Arrow.

A CSV export is read in two parts. Its head (the title rows and the header, the first records) is parsed by
Python's ``csv`` module, as before, so the header is found the same way in every format
(:func:`gscor.ingest.readers.read_text_head`). Its body is parsed by ``pyarrow.csv``'s streaming reader
straight from the file's bytes, block by block, and reaches DuckDB as a stream of record batches: no list of
Python strings per cell, no second copy of the decoded text. Peak memory is the file's bytes (already held for
its hash) plus DuckDB's typed table, instead of ~24× the file.

The stream is only taken when it reads exactly what the tolerant reader would: every record has the header's
number of fields (a ragged record sets the file aside for the tolerant path, which pads short rows and keeps
cells beyond the header), and the bytes before the body re-encode to the head as decoded. Records are counted
the same way (a blank line is a record of empty cells, a quoted newline stays inside its cell), so
``source_row`` is the same sheet row number either way.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .layout import TOTAL_FIRST_CHARS, is_total_row

TRIM_CHARS = " \t\r\n\u3000\u00a0"  # the same set as coerce.trim_expr
BLOCK_BYTES = 4 << 20


class NotRectangular(Exception):
    """A record whose field count differs from the header's: the tolerant reader takes the file."""


@dataclass
class TextBody:
    """Where a delimited text's body starts and how to decode it (from :func:`readers.read_text_head`)."""

    data: bytes
    offset: int  # byte offset of the first record after the header
    codec: str  # Python codec of the body bytes (no BOM left at ``offset``)
    delimiter: str
    fields: int  # the header record's field count
    invalid: list[str] = field(default_factory=list)


def _arrow_encoding(codec: str) -> str:
    name = codecs.lookup(codec).name
    return "utf8" if name in ("utf-8", "utf-8-sig") else codec


def normalised(col: pa.Array, null_tokens: tuple[str, ...]) -> pa.Array:
    """A text cell as coerce's rules see it: trimmed of ordinary/full-width/no-break spaces, and NULL when
    empty or an unknown marker (``-``, ``N/A``, …)."""
    trimmed = pc.utf8_trim(col, characters=TRIM_CHARS)
    unknown = pc.is_in(trimmed, value_set=pa.array(null_tokens, pa.string()))
    return pc.if_else(pc.fill_null(unknown, True), pa.scalar(None, pa.string()), trimmed)


def blank_and_total(columns: list[pa.Array], num_rows: int) -> tuple[pa.Array, pa.Array]:
    """Per row: is every cell blank, and is it a total row (汇总/合计/Total in its first non-blank cell)."""
    first = pa.nulls(num_rows, pa.string())
    for col in columns:
        filled = pc.not_equal(pc.utf8_trim_whitespace(col), "")
        first = pc.coalesce(first, pc.if_else(filled, col, pa.scalar(None, pa.string())))
    blank = pc.is_null(first)
    lead = pc.utf8_slice_codeunits(pc.utf8_ltrim_whitespace(pc.fill_null(first, "")), 0, 1)
    candidate = pc.is_in(lead, value_set=pa.array(sorted(TOTAL_FIRST_CHARS), pa.string()))
    total = [False] * num_rows
    if pc.any(candidate).as_py():
        for i in pc.indices_nonzero(candidate).to_pylist():  # a few rows at most: the exact test in Python
            total[i] = is_total_row([first[i].as_py()])
    return blank, pa.array(total, pa.bool_())


def body_batches(
    body: TextBody,
    first_row: int,
    mapped: list[int],
    extras: list[int],
    null_tokens: tuple[str, ...],
) -> pa.RecordBatchReader:
    """The body as batches of ``source_row, is_total, n<i> (mapped, normalised), c<i> (extras, raw)``, blank
    records dropped; ``first_row`` is the 1-based sheet row of the first record. A ragged record is noted in
    ``body.invalid`` and skipped; the caller then falls back to the tolerant reader."""
    names = [f"c{i}" for i in range(body.fields)]

    def invalid(row) -> str:
        body.invalid.append(
            f"record {row.number}: {row.actual_columns} fields, expected {row.expected_columns}"
        )
        return "skip"

    reader = pacsv.open_csv(
        pa.py_buffer(body.data).slice(body.offset),
        read_options=pacsv.ReadOptions(
            column_names=names, block_size=BLOCK_BYTES, encoding=_arrow_encoding(body.codec), use_threads=True
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=body.delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    fields = [pa.field("source_row", pa.int32()), pa.field("is_total", pa.bool_())]
    fields += [pa.field(f"n{i}", pa.string()) for i in mapped]
    fields += [pa.field(f"c{i}", pa.string()) for i in extras]
    schema = pa.schema(fields)

    def gen() -> Iterator[pa.RecordBatch]:
        row = first_row
        for batch in reader:
            if body.invalid:  # numbering past a skipped record is off: stop, the tolerant reader redoes it
                raise NotRectangular(body.invalid[0])
            n = batch.num_rows
            if not n:
                continue
            cols = batch.columns
            blank, total = blank_and_total(cols, n)
            arrays = [pa.array(range(row, row + n), pa.int32()), total]
            arrays += [normalised(cols[i], null_tokens) for i in mapped]
            arrays += [cols[i] for i in extras]
            row += n
            yield pa.RecordBatch.from_arrays(arrays, schema=schema).filter(pc.invert(blank))
        if body.invalid:
            raise NotRectangular(body.invalid[0])

    return pa.RecordBatchReader.from_batches(schema, gen())


__all__ = ["NotRectangular", "TextBody", "blank_and_total", "body_batches", "normalised"]
