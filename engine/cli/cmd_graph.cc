// `goap graph WORLD`: the domain as a picture, which actions read and write which facts (DOT or
// Mermaid on stdout; `goap graph w.yaml | dot -Tsvg > domain.svg`).
#include <cstdio>

#include "cli/commands.h"
#include "cli/input.h"
#include "export/domain_view.h"
#include "export/dot.h"
#include "export/mermaid.h"

namespace goap::cli {

int run_graph(const GraphOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, "", {}, common);
  if (!in) return kInvalidInput;
  const exporting::DomainView view = exporting::make_domain_view(in->world);
  const std::string out = o.format == "mermaid" ? exporting::domain_to_mermaid(view) : exporting::domain_to_dot(view);
  std::fputs(out.c_str(), stdout);
  return kOk;
}

}  // namespace goap::cli
