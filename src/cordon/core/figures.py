"""Printing figures from a command: a table for the reader, then one JSON line for a script.

Benchmarks (cordon.bench), the simulator's commands and the invariant checks all print this way."""

import json


def print_table(stdout, rows: list[tuple[str, object]], title: str = "") -> None:
    if title:
        stdout.write(title + "\n")
    width = max((len(k) for k, _ in rows), default=10)
    for key, value in rows:
        if isinstance(value, float):
            value = f"{value:,.2f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        stdout.write(f"  {key.ljust(width)}  {value}\n")


def print_json(stdout, result: dict) -> None:
    stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
