"""Turn the YAML parser's terse complaints into messages that say how to fix the file."""

from __future__ import annotations

_INDENT = (
    "this line's indentation does not match the lines above; keys of one mapping start "
    "in the same column, and the '-' of list items line up"
)
_HINTS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "a ':' where no key can start; quote text that contains ': ', or fix the indentation",
    ),
    (
        "could not find expected ':'",
        "a line with no ':' (or an unclosed quote) inside a mapping; write it as 'key: value'",
    ),
    ("expected <block end>", _INDENT),
    ("did not find expected key", _INDENT),
    ("did not find expected '-' indicator", _INDENT),
    ("did not find expected ',' or ']'", "a '[' list is not closed; add the missing ']'"),
    ("did not find expected ',' or '}'", "a '{' mapping is not closed; add the missing '}'"),
    ("found unexpected end of stream", "the file ends inside a quoted text; close the quote"),
    (
        "found character that cannot start any token",
        "a character that cannot start a value here; quote the value",
    ),
    (
        "found undefined tag handle",
        "a '!' tag that is not defined; journey files use no tags, so remove it",
    ),
    (
        "while scanning an anchor",
        "an '&anchor' or '*alias' with no name; quote text that starts with '&' or '*'",
    ),
    (
        "while scanning an alias",
        "an '&anchor' or '*alias' with no name; quote text that starts with '&' or '*'",
    ),
    (
        "found unknown escape character",
        "an unknown '\\' escape in double quotes; use single quotes or write '\\\\'",
    ),
)


_TAB = "a tab character; YAML indents with spaces only, so replace the tab with spaces"


def describe(problem: str, context: str, char: str = "") -> str:
    """Explain a parser error: what YAML saw (``char`` is the text at its mark), and the fix."""
    if char == "\t":
        return f"YAML syntax error: {_TAB}"
    said = " ".join(part for part in (context, problem) if part)
    for needle, hint in _HINTS:
        if needle in said:
            return f"YAML syntax error: {hint} (parser: {problem or context})"
    return f"YAML syntax error: {problem or context}"
