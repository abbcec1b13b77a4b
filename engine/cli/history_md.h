// `goap history RUN --format md`: one run as a post-incident timeline in Markdown (history_md.cc).
#pragma once

#include <cstdio>

#include "exec/journal.h"

namespace goap::cli {

void print_timeline(exec::Journal& journal, const exec::RunRow& run, std::FILE* out);

}  // namespace goap::cli
