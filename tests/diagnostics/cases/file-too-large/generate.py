# Writes huge-actions.yaml, just over the 4 MiB limit (too big to commit).
limit = 4 * 1024 * 1024
with open("huge-actions.yaml", "w") as f:
    f.write("kind: actions\ndoc: |\n")
    line = "  " + "x" * 77 + "\n"
    f.write(line * (limit // len(line) + 1))
