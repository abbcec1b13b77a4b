// Mermaid flowcharts for a plan and for a domain (GitHub, GitLab and many wikis render them).
//
// Mermaid's grammar has traps: a node called `end` closes a subgraph, ids starting with `o` or `x`
// after `--` turn an arrow into a circle or cross edge, and `"`, `<`, `>`, `#` and `&` inside a
// label break it or become markup. So node ids are generated (`s0`, `a3`, `f7`) and never come
// from a name, and every label is double-quoted with those characters written as Mermaid's
// numeric entity codes (`#34;`, `#60;`, ...). Line breaks are `<br/>`.
#pragma once

#include <string>

#include "export/domain_view.h"
#include "export/plan_view.h"

namespace goap::exporting {

std::string plan_to_mermaid(const PlanView& plan);
std::string domain_to_mermaid(const DomainView& domain);

// `s` as a double-quoted Mermaid label: entities for the special characters, '\n' as <br/>.
std::string mermaid_quote(const std::string& s);

}  // namespace goap::exporting
