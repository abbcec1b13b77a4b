#!/usr/bin/env python3
"""embed.py SCHEMA HEADER: writes SCHEMA's text into a C++ header as `goap::cli::kSchemaJson`.

Run by engine/cli/meson.build at build time, so `goap schema` prints the schema the binary was
built with, installed or not. The text is embedded byte for byte (a raw string literal).
"""
import sys

DELIM = "goap_schema"


def main():
    src, dst = sys.argv[1:3]
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if ")" + DELIM + '"' in text:
        sys.exit(f"embed.py: {src} contains the raw-string delimiter ){DELIM}\"")
    out = (
        "// Generated from schemas/goap.schema.json by tools/schema/embed.py at build time; do not edit.\n"
        "#pragma once\n\n"
        "namespace goap::cli {\n\n"
        f'inline constexpr char kSchemaJson[] = R"{DELIM}({text}){DELIM}";\n\n'
        "}  // namespace goap::cli\n"
    )
    with open(dst, "w", encoding="utf-8") as f:
        f.write(out)


if __name__ == "__main__":
    main()
