"""The rule catalogue, generated from the registry: ``journeymap rules --format markdown``."""

from __future__ import annotations

from journeymap.rules.registry import RULES, Rule, RuleSet

HEADER = (
    "<!-- generated from the rule registry; regenerate with: "
    "journeymap rules --format markdown > docs/rules.md -->"
)


def markdown(rules: RuleSet = RULES) -> str:
    """Every rule as a Markdown page: a table, then each rule with its examples."""
    lines = [
        HEADER,
        "",
        "# Rules",
        "",
        "`journeymap validate` reports what these rules find as "
        "`path:line:col: severity rule message`. Configure them in `.journeymap.yaml` or "
        "`[tool.journeymap]` (see [configuration.md](configuration.md)); rules marked "
        "*loading* report journeys that cannot be read and cannot be turned off.",
        "",
        "| code | rule | default | what it finds |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r.code} | [`{r.name}`](#{r.name}) | {_default(r)} | {r.summary} |" for r in rules
    ]
    for rule in rules:
        lines += ["", f"## {rule.name}", "", f"**{rule.code}**, {_default(rule)}: {rule.summary}."]
        lines += ["", rule.sections["about"]]
        for heading in ("fails", "passes"):
            lines += ["", f"{heading.capitalize()}:", "", rule.sections.get(heading, "")]
    return "\n".join(lines).rstrip() + "\n"


def text(rules: RuleSet = RULES) -> str:
    """One line per rule: code, name, default severity, summary."""
    width = max(len(rule.name) for rule in rules)
    return "".join(f"{r.code}  {r.name:<{width}}  {_default(r):<16}  {r.summary}\n" for r in rules)


def _default(rule: Rule) -> str:
    return f"{rule.severity.value} (loading)" if not rule.configurable else rule.severity.value
