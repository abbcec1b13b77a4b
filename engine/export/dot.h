// Graphviz DOT for a plan and for a domain, written with Boost.Graph's write_graphviz.
//
// This file pair is the only code that includes Boost.Graph (a heavy header: it stays out of every
// other translation unit). Node ids are generated (`s0`, `s1`, ... for plan states) or always
// quoted (`"action restart-ollama"`), so a name can never collide with a DOT keyword such as
// `node`, `edge` or `graph`; every label is a quoted string with `"` and `\` escaped, so a name
// with hyphens, or any other text, is always one DOT string.
//
// Plan picture: states are nodes showing the facts the step into them changed (the start lists
// the wanted facts not yet true), actions are edges labelled with their cost, the goal state is
// highlighted and actions that need an approval are drawn red and marked.
#pragma once

#include <string>

#include "export/domain_view.h"
#include "export/plan_view.h"

namespace goap::exporting {

std::string plan_to_dot(const PlanView& plan);
std::string domain_to_dot(const DomainView& domain);

// `s` as a DOT double-quoted string (quotes included). Each '\n' in `s` becomes a left-justified
// line break (`\l`); a label built this way ends with one so that its last line is justified too.
std::string dot_quote(const std::string& s, bool left_justify = false);

}  // namespace goap::exporting
