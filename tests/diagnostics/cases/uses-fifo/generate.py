# A FIFO in the tree (too odd to commit): goap must refuse it at once, not wait for a writer.
import os
os.mkfifo("sensed.fifo")
with open("notes.txt", "w") as f:
    f.write("kind: actions\nactions: {}\n")
