// The HTML report of a dry run: one self-contained file (inline CSS, inline SVG, no script, no
// fonts or images to fetch), so it opens from disk, in a mail attachment or on an air-gapped host.
//
// Sections: a summary (goal, status, cost, search), the wanted facts, the plan steps, the plan as
// a picture (the SVG Graphviz drew from plan_to_dot, or a note saying why there is none, with the
// DOT source to render elsewhere), the state changes per step, the goals considered, the search
// statistics and, when recorded, the first expanded search nodes.
//
// Every piece of text from the model is HTML-escaped; the SVG is inserted as Graphviz wrote it
// (Graphviz escapes its own labels).
#pragma once

#include <string>
#include <string_view>

#include "export/graphviz.h"
#include "export/plan_view.h"

namespace goap::exporting {

std::string plan_to_html(const PlanView& plan, const std::string& dot, const SvgResult& svg);

std::string html_escape(std::string_view s);

}  // namespace goap::exporting
