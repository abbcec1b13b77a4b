#!/usr/bin/env python3
"""Man pages and bash completion for goap, generated from the real command line at build time.

usage: cli_docs.py GOAP VERSION OUTDIR COMMAND...

Runs `GOAP --help` and `GOAP COMMAND --help` for every COMMAND and writes, into OUTDIR,
goap.1, goap-COMMAND.1 per command (roff, man(7) macros) and `goap` (a bash completion script
that needs only bash itself, not the bash-completion package). Since both come from the help
text CLI11 prints, they cannot drift from the binary. The COMMAND list (tools/cli_docs/meson.build
names the outputs before the binary exists) must be exactly the subcommands `goap --help` lists;
a command added or removed without updating that list fails the build, naming the difference.
"""
import os
import re
import subprocess
import sys

# Both man pages and completion describe options as (names, value, text): names like
# ["-q", "--quiet"], value "" for a flag or the type CLI11 prints ("TEXT", "TEXT:{a,b}", "INT").


def run_help(goap, args):
    # A sanitizer build runs this too: a leak report at exit must not fail the build.
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", NO_COLOR="1")
    r = subprocess.run([goap] + args + ["--help"], capture_output=True, text=True, env=env, timeout=60)
    if r.returncode != 0:
        sys.exit(f"cli_docs: `goap {' '.join(args + ['--help'])}` exited {r.returncode}:\n{r.stderr}")
    return r.stdout


def parse(text):
    """CLI11's help: a description, `Usage: ...`, then sections `Name:` of two-space-indented
    entries `NAME-AND-TYPE  description`, a long name putting its description on the next line."""
    doc = {"summary": "", "usage": "", "sections": [], "extra": []}
    current = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.strip():
            current = None if current is None or not current[1] else current
            continue
        if line.startswith("Usage:"):
            doc["usage"] = re.sub(r"^Usage:\s*\S+", "goap", line).strip()
            continue
        if not line.startswith(" ") and line.rstrip().endswith(":") and not line.startswith("Usage"):
            current = (line.rstrip()[:-1], [])
            doc["sections"].append(current)
            continue
        if current is not None and line.startswith("  "):
            entries = current[1]
            stripped = line.strip()
            if line.startswith(" " * 10) and entries:
                # The description of a long entry, or the continuation of one.
                name, desc = entries[-1]
                entries[-1] = (name, (desc + " " + stripped).strip())
                continue
            parts = re.split(r"\s{2,}", stripped, maxsplit=1)
            entries.append((parts[0], parts[1] if len(parts) > 1 else ""))
            continue
        if not doc["usage"] and not doc["summary"]:
            doc["summary"] = line.strip()
        else:
            doc["extra"].append(line.strip())
    return doc


def option(entry):
    head, text = entry
    tokens = head.split()
    names = [n for n in tokens[0].split(",") if n]
    value = " ".join(t for t in tokens[1:] if t not in ("REQUIRED",) and not t.startswith("["))
    value = value.replace("...", "").strip()
    return names, value, text, head


def section(doc, name):
    for title, entries in doc["sections"]:
        if title == name:
            return entries
    return []


# ---- man pages -----------------------------------------------------------------------------

def roff(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def man_page(name, version, doc, commands, parent_summary=None):
    title = name.upper()
    out = [f'.TH {title} 1 "" "goap {version}" "goap manual"', ".SH NAME", f"{name} \\- {roff(re.sub(r'^goap: *', '', doc['summary']))}",
           ".SH SYNOPSIS", f".B {roff(' '.join(name.split('-')))}"]
    rest = doc["usage"].split(None, 2 if name != "goap" else 1)
    args = rest[-1] if len(rest) > (2 if name != "goap" else 1) else ""
    if args:
        out.append(roff(args))
    out += [".SH DESCRIPTION", roff(doc["summary"] + ("." if not doc["summary"].endswith(".") else ""))]
    if name == "goap":
        out.append("Each command has its own page, listed below; \\fBgoap\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR "
                   "prints the same.")
    for title, entries in doc["sections"]:
        heading = {"Positionals": "ARGUMENTS", "Subcommands": "COMMANDS"}.get(title, title.upper())
        out.append(".SH " + roff(heading))
        for entry in entries:
            head, text = entry
            out.append(".TP")
            if title == "Subcommands":
                out.append(f".BR goap\\-{roff(head)} (1)")
            elif title == "Positionals":
                first, _, more = head.partition(" ")
                out.append(f"\\fI{roff(first)}\\fR {roff(more)}".rstrip())
            else:
                names, value, _, _ = option(entry)
                shown = ", ".join(f"\\fB{roff(n)}\\fR" for n in names)
                rest_head = head.split(None, 1)[1] if len(head.split(None, 1)) > 1 else ""
                out.append((shown + (" \\fI" + roff(rest_head) + "\\fR" if rest_head else "")).strip())
            out.append(roff(text) if text else "")
    if doc["extra"]:
        out.append(".SH NOTES")
        out += [roff(line) for line in doc["extra"]]
    if name == "goap":
        out += [".SH ENVIRONMENT", ".TP", ".B GOAP_PLUGIN_PATH",
                "Folders (':'\\-separated) searched for plugins after \\fB\\-\\-plugin\\-dir\\fR and before the "
                "installed ones.",
                ".TP", ".B GOAP_JOURNAL", "The run journal (default ~/.local/state/goap/journal.db).",
                ".SH FILES", ".TP", ".I <prefix>/lib/<triplet>/goap/plugins/",
                "The installed plugins, found relative to the goap binary (a moved install still finds them).",
                ".TP", ".I <prefix>/share/goap/",
                "The bundled worlds, goal sets, the plugins' actions.yaml and the JSON Schema; try "
                "\\fBgoap next <prefix>/share/goap/worlds/timmy\\-ops.yaml\\fR."]
    see = ["goap"] if name != "goap" else []
    see += [f"goap-{c}" for c in commands if f"goap-{c}" != name]
    out.append(".SH SEE ALSO")
    out += [f".BR {roff(s)} (1)" + ("," if i + 1 < len(see) else "") for i, s in enumerate(see)]
    return "\n".join(out) + "\n"


# ---- bash completion -----------------------------------------------------------------------

def completion(top, subs):
    """A `_goap` function: subcommands after `goap`, each command's options, the choices of an
    option that has them, files for a path-like value or argument, nothing for numbers."""
    def q(words):
        return " ".join(sorted(set(words)))

    def value_cases(cmd, opts, lines):
        for names, value, _, _ in opts:
            if not value:
                continue
            pat = "|".join(f'"{cmd} {n}"' for n in names)
            choices = re.search(r"\{([^}]*)\}", value)
            if choices:
                words = choices.group(1).split(",")
                lines.append(f'    {pat}) COMPREPLY=($(compgen -W "{q(words)}" -- "$cur")); return ;;')
            elif value.split(":")[0] in ("INT", "UINT", "FLOAT", "NUMBER"):
                lines.append(f"    {pat}) return ;;")
            else:
                lines.append(f'    {pat}) COMPREPLY=($(compgen -f -- "$cur")); return ;;')

    top_opts = [option(e) for e in section(top, "Options")]
    cmds = [e[0] for e in section(top, "Subcommands")]
    lines = ["# bash completion for goap: generated from `goap --help` at build time (tools/cli_docs).",
             "# Installed as <datadir>/bash-completion/completions/goap; needs bash only.",
             "_goap() {",
             '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" i',
             '  ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"',
             "  for ((i = 1; i < COMP_CWORD; i++)); do",
             '    case "${COMP_WORDS[i]}" in',
             "      -*) ;;",
             f'      *) cmd="${{COMP_WORDS[i]}}"; break ;;',
             "    esac",
             "  done",
             '  case "$cmd $prev" in']
    value_cases("", top_opts, lines)
    for c in cmds:
        value_cases(c, [option(e) for e in section(subs[c], "Options")], lines)
    lines += ["  esac",
              '  case "$cmd" in',
              f'    "") if [[ "$cur" == -* ]]; then',
              f'          COMPREPLY=($(compgen -W "{q(n for o in top_opts for n in o[0])}" -- "$cur"))',
              "        else",
              f'          COMPREPLY=($(compgen -W "{q(cmds)}" -- "$cur"))',
              "        fi",
              "        return ;;"]
    for c in cmds:
        opts = [option(e) for e in section(subs[c], "Options")]
        lines += [f"    {c}) if [[ \"$cur\" == -* ]]; then",
                  f'          COMPREPLY=($(compgen -W "{q(n for o in opts for n in o[0])}" -- "$cur"))',
                  "          return",
                  "        fi ;;"]
    lines += ["  esac",
              "  # An argument: a file (worlds, plans, requests, PDDL).",
              '  COMPREPLY=($(compgen -f -- "$cur"))',
              "}",
              "complete -o filenames -F _goap goap",
              ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    goap, version, outdir, commands = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    top = parse(run_help(goap, []))
    listed = [e[0] for e in section(top, "Subcommands")]
    if sorted(listed) != sorted(commands):
        sys.exit("cli_docs: `goap --help` lists the subcommands " + " ".join(listed) +
                 "; tools/cli_docs/meson.build lists " + " ".join(commands) +
                 ": update goap_commands there (missing: " + " ".join(sorted(set(listed) - set(commands))) +
                 "; gone: " + " ".join(sorted(set(commands) - set(listed))) + ")")
    subs = {c: parse(run_help(goap, [c])) for c in commands}
    pages = {"goap.1": man_page("goap", version, top, commands)}
    for c in commands:
        pages[f"goap-{c}.1"] = man_page(f"goap-{c}", version, subs[c], commands)
    pages["goap"] = completion(top, subs)
    for name, text in pages.items():
        tmp = os.path.join(outdir, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(outdir, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
