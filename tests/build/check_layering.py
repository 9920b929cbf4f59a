#!/usr/bin/env python3
"""Checks every #include of the project's code against the declared module graph.

usage: check_layering.py MODULE_GRAPH SOURCE_ROOT

MODULE_GRAPH is the file CMake writes (build/<preset>/module_graph.txt, one line per module or
program: `<kind> <name> dir=<folder> edges=<m>,... headers=<h>,... files=<f>,...`), so the
rules come from the same strata_module()/strata_program() declarations the build links by.

A file under src/, bench/, fuzz/ or tools/ belongs to the program that names it, else to the
module or program whose folder holds it. It may include:
  - "<m>/<header>" for its own module m and every module its declared edges reach;
  - "strata/<header>" when the module that implements that public header is among those;
  - a header in its own folder by its bare name;
  - anything in angle brackets that is not the project's (system and library headers).
Anything else a quoted include names (another module's header, a path from the repository
root, a relative path that climbs out of the folder, a header that does not exist) is a
violation. Public headers (include/strata/) may include only public headers of their own
module and the modules it reaches. The edges themselves must name declared modules and
contain no cycle.

Prints one line per violation (`path:line: ...`) and exits 1 if there is any; else prints a
summary and exits 0.
"""

import os
import re
import sys

CHECKED_ROOTS = ("src", "bench", "fuzz", "tools")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


class Unit:
    def __init__(self, kind, name, fields):
        self.kind = kind
        self.name = name
        self.dir = fields.get("dir", "")
        self.edges = [e for e in fields.get("edges", "").split(",") if e]
        self.headers = [h for h in fields.get("headers", "").split(",") if h]
        self.files = [f for f in fields.get("files", "").split(",") if f]


def read_graph(path):
    units = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
            units[parts[1]] = Unit(parts[0], parts[1], fields)
    return units


def closure(units, name):
    """Modules reached from unit `name` through edges, itself excluded."""
    seen, pending = set(), list(units[name].edges)
    while pending:
        m = pending.pop()
        if m in seen or m not in units:
            continue
        seen.add(m)
        pending.extend(units[m].edges)
    return seen


def graph_problems(units):
    problems = []
    modules = {n for n, u in units.items() if u.kind == "module"}
    for name, unit in sorted(units.items()):
        for edge in unit.edges:
            if edge not in modules:
                problems.append(f"module graph: {name} depends on {edge}, which is not a module")
    # A cycle shows as a module that reaches itself.
    for name in sorted(modules):
        if name in closure(units, name):
            problems.append(f"module graph: {name} reaches itself through its edges (a cycle)")
    return problems


def owner_of(units, rel):
    """The unit a checked file belongs to, or None."""
    for unit in units.values():
        if rel in unit.files:
            return unit
    best = None
    for unit in units.values():
        if unit.files or not unit.dir:
            continue
        if rel.startswith(unit.dir + "/") and (best is None or len(unit.dir) > len(best.dir)):
            best = unit
    return best


def check_file(root, rel, unit, units, header_owner, modules, allowed, problems):
    folder = os.path.dirname(rel)
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quoted, target = m.group(1) == '"', m.group(2)
            where = f"{rel}:{number}: {unit.name if unit else '(no module)'} includes \"{target}\""
            first, _, rest = target.partition("/")
            if first == "strata" and rest:
                owner = header_owner.get(rest)
                if owner is None:
                    problems.append(f"{where}: no module implements include/strata/{rest}")
                elif owner not in allowed:
                    problems.append(f"{where}: public header of {owner}, which is not among "
                                    f"its dependencies ({', '.join(sorted(allowed)) or 'none'})")
                continue
            if first in modules and rest:
                if first not in allowed:
                    problems.append(f"{where}: header of module {first}, which is not among "
                                    f"its dependencies ({', '.join(sorted(allowed)) or 'none'})")
                elif not os.path.isfile(os.path.join(root, units[first].dir, rest)):
                    problems.append(f"{where}: module {first} has no such header")
                continue
            if not quoted:
                continue  # a system or library header
            if "/" not in target and os.path.isfile(os.path.join(root, folder, target)):
                continue  # a header of its own folder
            problems.append(f"{where}: not a header of a module in the graph (include module "
                            f"headers as \"<module>/<header>\", from the module's include root)")


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    graph_path, root = sys.argv[1], sys.argv[2]
    units = read_graph(graph_path)
    modules = {n for n, u in units.items() if u.kind == "module"}
    header_owner = {h: n for n, u in units.items() for h in u.headers}
    problems = graph_problems(units)

    checked = 0
    for top in CHECKED_ROOTS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in ("corpus", "node_modules"))
            for name in sorted(filenames):
                if not name.endswith((".h", ".cc")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                unit = owner_of(units, rel)
                allowed = set()
                if unit is not None:
                    allowed = closure(units, unit.name)
                    if unit.kind == "module":
                        allowed.add(unit.name)
                check_file(root, rel, unit, units, header_owner, modules, allowed, problems)
                checked += 1

    # Public headers: include/strata/<h> may use its owner's public headers and those of the
    # modules the owner reaches.
    public_dir = os.path.join(root, "include", "strata")
    for name in sorted(os.listdir(public_dir)) if os.path.isdir(public_dir) else []:
        rel = os.path.join("include", "strata", name)
        owner = header_owner.get(name)
        if owner is None:
            problems.append(f"{rel}: no module declares it in PUBLIC_HEADERS")
            continue
        allowed = closure(units, owner) | {owner}
        check_file(root, rel, units[owner], units, header_owner, modules, allowed, problems)
        checked += 1

    for p in problems:
        print(p)
    if problems:
        print(f"layering: {len(problems)} violation(s) in {checked} files")
        return 1
    print(f"layering: ok ({checked} files, {len(modules)} modules, "
          f"{len(units) - len(modules)} programs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
