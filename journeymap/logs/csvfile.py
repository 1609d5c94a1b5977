"""Read a CSV contact log: any delimiter and encoding, given or guessed, every line counted.

One quick pass over the bytes counts the lines, checks the encoding and refuses binary
files. Then Arrow reads the mapped columns as text, in parallel. When each record is one
line (no blank lines, no line breaks inside quoted values, no malformed rows), a row's
line is its index + 2. Otherwise Python's ``csv`` module reads the file again, record by
record, to give every row the line it starts on and to reject malformed rows by line.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, cast

import pyarrow as pa
import pyarrow.csv as pacsv

from journeymap.logs.files import is_gzip, open_binary
from journeymap.logs.mapping import Mapping, MappingError
from journeymap.logs.normalise import Raw
from journeymap.logs.table import Rejected, UnreadableLog

CHUNK = 16 * 1024 * 1024
"""Bytes read at a time by the survey pass, and the most Arrow reads into one block."""
HEAD = 64 * 1024
"""Bytes the delimiter is guessed from."""
FIELD_LIMIT = 1 << 30
"""The longest value read, in characters."""
CANDIDATES = ",;\t|"
"""Delimiters the guess chooses among."""
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_NOT_CSV = (
    (b"PAR1", "is a Parquet file; name it .parquet, or set format: parquet in the mapping"),
    (b"PK\x03\x04", "is a zip archive (an Excel workbook?); export the log as CSV"),
    (b"%PDF", "is a PDF document, not a CSV log"),
    (b"<?xml", "is XML, not CSV; name an XES log .xes, or set format: xes in the mapping"),
)


@dataclass(frozen=True)
class _Survey:
    """What one pass over the bytes tells: the head, the lines, quotes, the first bad byte."""

    head: bytes
    lines: int
    quotes: bool
    not_utf8: int | None
    """The line of the first byte that is not UTF-8, if any."""
    cp1252: bool
    """Whether every byte is defined in cp1252."""


def read_csv(source: str, mapping: Mapping) -> Raw:
    """The mapped columns of a CSV log as text, with each row's line."""
    compressed = is_gzip(source)
    encoding = mapping.encoding
    notes: list[str] = []
    if encoding is not None and not _ascii_compatible(encoding):
        with _text(source, compressed, encoding) as handle:
            sample = handle.read(HEAD)
        delimiter = _delimiter(source, mapping, sample, notes)
        _check_columns(source, mapping, _header(source, sample, delimiter))
        return _by_python(source, compressed, encoding, delimiter, mapping, notes)
    survey = _survey(source, compressed)
    encoding = _encoding(source, mapping, survey, notes)
    sample = _sample(survey.head, encoding)
    delimiter = _delimiter(source, mapping, sample, notes)
    _check_columns(source, mapping, _header(source, sample, delimiter))
    raw = _by_arrow(source, compressed, encoding, delimiter, mapping, survey, notes)
    return raw or _by_python(source, compressed, encoding, delimiter, mapping, notes)


@contextmanager
def _text(source: str, compressed: bool, encoding: str) -> Iterator[IO[str]]:
    with open_binary(source, compressed) as raw:
        buffer = cast("IO[bytes]", raw)  # a buffered reader, as TextIOWrapper needs
        handle = io.TextIOWrapper(buffer, encoding=_python_codec(encoding), newline="")
        try:
            yield handle
        except UnicodeDecodeError as error:
            raise UnreadableLog(
                f"{source}: is not {encoding} text ({error.reason}); give the right --encoding"
            ) from None
        finally:
            handle.detach()


def _python_codec(encoding: str) -> str:
    """``utf-8-sig`` for UTF-8, so a byte-order mark is not read into the first column."""
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def _ascii_compatible(encoding: str) -> bool:
    probe = 'a,;\t|"\r\n'
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except UnicodeError:
        return False


def _survey(source: str, compressed: bool) -> _Survey:
    head, lines, tail, carry = b"", 0, b"", b""
    quotes, cp1252, not_utf8, ended_cr = False, True, None, False
    with open_binary(source, compressed) as handle:
        while chunk := handle.read(CHUNK):
            if not head:
                head = chunk[:HEAD]
                _refuse_binary(source, head)
            _refuse_nul(source, chunk, lines)
            quotes = quotes or b'"' in chunk
            cp1252 = cp1252 and not any(b in chunk for b in _CP1252_UNDEFINED)
            if not_utf8 is None:
                carry, bad = _utf8(carry + chunk)
                not_utf8 = None if bad is None else lines + _breaks(chunk[:bad]) + 1
            lines += _breaks(chunk) - (ended_cr and chunk.startswith(b"\n"))
            ended_cr = chunk.endswith(b"\r")
            content = chunk.rstrip(b"\r\n")
            tail = chunk[len(content) :] if content else tail + chunk
    if not head:
        raise UnreadableLog(f"{source}: is empty; a CSV log starts with a header line")
    if carry and not_utf8 is None:
        not_utf8 = lines + 1
    return _Survey(head, _records_lines(lines, tail), quotes, not_utf8, cp1252)


def _records_lines(breaks: int, tail: bytes) -> int:
    """Lines up to the last one with text: trailing blank lines do not count."""
    tail_breaks = _breaks(tail)
    return breaks + 1 if tail_breaks == 0 else breaks - tail_breaks + 1


def _breaks(data: bytes) -> int:
    """Line breaks in ``data``: CR LF, LF and a lone CR count one each."""
    if b"\r" not in data:
        return data.count(b"\n")
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _utf8(data: bytes) -> tuple[bytes, int | None]:
    """The incomplete character at the end (to carry on), and the offset of a bad byte."""
    try:
        _, used = codecs.utf_8_decode(data, "strict", False)
    except UnicodeDecodeError as error:
        return b"", error.start
    return data[used:], None


def _refuse_binary(source: str, head: bytes) -> None:
    for magic, message in _NOT_CSV:
        if head.startswith(magic):
            raise UnreadableLog(f"{source}: {message}")
    boms = (
        ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
    )
    for marks, name in boms:
        if head.startswith(marks):
            raise UnreadableLog(f"{source}: is {name.upper()} text; give --encoding {name}")


def _refuse_nul(source: str, chunk: bytes, lines: int) -> None:
    nul = chunk.find(b"\0")
    if nul >= 0:
        line = lines + _breaks(chunk[:nul]) + 1
        raise UnreadableLog(
            f"{source}:{line}: is a binary file (NUL byte), not CSV text; export the log as "
            "CSV (a Parquet or XES log is read as such when named .parquet or .xes)"
        )


def _encoding(source: str, mapping: Mapping, survey: _Survey, notes: list[str]) -> str:
    if mapping.encoding is not None:
        if codecs.lookup(mapping.encoding).name == "utf-8" and survey.not_utf8 is not None:
            raise UnreadableLog(
                f"{source}:{survey.not_utf8}: is not UTF-8 text; give its --encoding "
                "(cp1252 or latin-1 for most Western European exports)"
            )
        return mapping.encoding
    if survey.not_utf8 is None:
        return "utf-8"
    guess = "cp1252" if survey.cp1252 else "latin-1"
    notes.append(
        f"encoding not given and the file is not UTF-8 (line {survey.not_utf8}); read it as "
        f"{guess}: give --encoding if that is wrong"
    )
    return guess


def _sample(head: bytes, encoding: str) -> str:
    """The head as text, cut after its last whole line when the file goes on."""
    text = head.decode(_python_codec(encoding), errors="replace")
    if len(head) < HEAD:
        return text
    end = max(text.rfind("\n"), text.rfind("\r"))
    return text[: end + 1] if end > 0 else text


def _delimiter(source: str, mapping: Mapping, sample: str, notes: list[str]) -> str:
    if mapping.delimiter is not None:
        return mapping.delimiter
    if source.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    try:
        found = csv.Sniffer().sniff(sample, delimiters=CANDIDATES).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        found = max(CANDIDATES, key=first.count) if any(c in first for c in CANDIDATES) else ","
    notes.append(
        f"delimiter not given; {_named(found)} guessed from the first lines: give "
        "--delimiter if that is wrong"
    )
    return found


def _named(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def _header(source: str, sample: str, delimiter: str) -> list[str]:
    for fields in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
        if fields:
            return fields
    raise UnreadableLog(f"{source}: has no header line naming its columns")


def _check_columns(source: str, mapping: Mapping, header: list[str]) -> None:
    """``MappingError`` for a column the header lacks; one column hints at the delimiter."""
    try:
        mapping.check_columns(source, header)
    except MappingError as error:
        if len(header) != 1:
            raise
        raise MappingError(f"{error}; the header has one column: is the delimiter right?") from None


def _by_arrow(
    source: str,
    compressed: bool,
    encoding: str,
    delimiter: str,
    mapping: Mapping,
    survey: _Survey,
    notes: list[str],
) -> Raw | None:
    """The columns as Arrow reads them, or ``None`` when rows and lines do not line up."""
    if not delimiter.isascii():
        return None
    malformed = 0

    def skip(_: object) -> str:
        nonlocal malformed
        malformed += 1
        return "skip"

    needed = mapping.needed()
    utf8 = codecs.lookup(encoding).name == "utf-8"
    try:
        table = pacsv.read_csv(
            pa.input_stream(source, compression="gzip" if compressed else None),
            read_options=pacsv.ReadOptions(encoding="utf8" if utf8 else encoding, block_size=CHUNK),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=survey.quotes, invalid_row_handler=skip
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=needed,
                column_types=dict.fromkeys(needed, pa.string()),
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if malformed or table.num_rows + 1 != survey.lines:
        return None
    rows = pa.array(range(2, table.num_rows + 2), pa.int64())
    return Raw({name: table.column(name) for name in needed}, rows, (), tuple(notes))


def _by_python(
    source: str, compressed: bool, encoding: str, delimiter: str, mapping: Mapping, notes: list[str]
) -> Raw:
    """The columns as Python's ``csv`` reads them, record by record, each with its line."""
    needed = mapping.needed()
    values: dict[str, list[str]] = {name: [] for name in needed}
    rows: list[int] = []
    rejected: list[Rejected] = []
    with _text(source, compressed, encoding) as handle, _long_fields():
        reader = csv.reader(handle, delimiter=delimiter, strict=False)
        header = _first_record(reader)
        width, where = len(header), [header.index(name) for name in needed]
        last = reader.line_num
        try:
            for fields in reader:
                start, last = last + 1, reader.line_num
                if not fields:
                    continue
                if len(fields) != width:
                    rejected.append(Rejected(start, _malformed(len(fields), width, delimiter)))
                    continue
                rows.append(start)
                for name, index in zip(needed, where, strict=True):
                    values[name].append(fields[index])
        except csv.Error as error:
            raise UnreadableLog(
                f"{source}:{reader.line_num}: cannot be read as CSV: {error}"
            ) from None
    columns = {name: pa.array(column, pa.string()) for name, column in values.items()}
    return Raw(columns, pa.array(rows, pa.int64()), tuple(rejected), tuple(notes))


@contextmanager
def _long_fields() -> Iterator[None]:
    """Let values be as long as Arrow allows, not the ``csv`` module's 128 KiB."""
    before = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _first_record(reader: Iterator[list[str]]) -> list[str]:
    for fields in reader:
        if fields:
            return fields
    return []


def _malformed(fields: int, width: int, delimiter: str) -> str:
    return (
        f"has {fields} field{'s' if fields != 1 else ''} where the header has {width}; check "
        f"the delimiter ({_named(delimiter)}) and that quotes are closed"
    )
