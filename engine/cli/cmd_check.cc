// `goap check FILES...`: authoring errors and warnings, nothing else.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/plugin_support.h"
#include "core/diag.h"
#include "core/json_escape.h"
#include "model/lint.h"
#include "load/loader.h"
#include "load/sensor_loader.h"

namespace goap::cli {
namespace {

// A `for` needs sensed readings: one on a fact that no sensor beside the world reads can never
// hold in `goap run`.
void check_for_sensors(const model::World& world, const std::string& world_path, core::Diagnostics& diags) {
  std::vector<bool> sensed(world.facts.size(), false);
  if (const std::string path = load::default_sensors_path(world_path); !path.empty()) {
    core::SourceManager sm;
    core::Diagnostics ignored;  // errors in the sensors file are check_file's to report
    if (auto specs = load::load_sensors(path, world, sm, ignored))
      for (const load::SensorSpec& s : *specs) sensed[s.term.fact.index()] = true;
  }
  const auto check = [&](const model::Condition& c, const std::vector<model::Param>& params) {
    if (c.held_for.count() == 0 || sensed[c.term.fact.index()]) return;
    diags.warning(c.loc, "no sensor reads '" + world.fact(c.term.fact).name + "', so '" + world.condition_text(c, params) +
                             "' never holds in goap run")
        .hint("a 'for' needs the journal's sensed readings: add a sensor for it in " +
              std::string("<world>.sensors.yaml"));
  };
  for (const model::Action& a : world.actions)
    for (const model::Condition& c : a.pre) check(c, a.params);
  for (const model::Goal& g : world.goals)
    for (const model::Condition& c : g.when) check(c, g.forall);
}

}  // namespace

int run_check(const CheckOptions& o, const CommonOptions& common) {
  core::SourceManager sm;
  core::Diagnostics diags;
  for (const std::string& f : o.files) {
    core::Diagnostics one;
    auto world = load::check_file(f, sm, one, load::LoadOptions{common.allow_outside});
    if (world) model::lint_world(*world, one);
    if (world) check_for_sensors(*world, f, one);
    if (world && !o.no_plugins) check_runs(*world, f, sm, o.plugin_dirs, one);
    one.sort();
    diags.append(one);
  }
  const std::size_t errors = diags.error_count(), warnings = diags.warning_count();
  if (o.json) {
    std::string out = "{\"format_version\": 1, \"errors\": " + std::to_string(errors) +
                      ", \"warnings\": " + std::to_string(warnings) + ", \"diagnostics\": [";
    bool first = true;
    for (const core::Diagnostic& d : diags.all()) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      out += "{\"severity\": " + core::json_quote(d.severity == core::Severity::error ? "error" : "warning");
      out += ", \"file\": " + core::json_quote(d.loc.known() ? sm.path(d.loc.file) : "");
      out += ", \"line\": " + std::to_string(d.loc.line) + ", \"col\": " + std::to_string(d.loc.col);
      out += ", \"message\": " + core::json_quote(d.message);
      out += ", \"hints\": [";
      for (std::size_t i = 0; i < d.hints.size(); ++i) out += (i ? ", " : "") + core::json_quote(d.hints[i]);
      out += "]}";
    }
    out += first ? "]}\n" : "\n]}\n";
    std::fputs(out.c_str(), stdout);
  } else {
    std::fputs(core::render_all(diags, sm, core::RenderOptions{common.color}).c_str(), stderr);
    if (errors + warnings > 0)
      std::fprintf(stderr, "%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                   warnings == 1 ? "" : "s");
    else
      std::fprintf(stdout, "ok: %zu file%s checked, no problems\n", o.files.size(), o.files.size() == 1 ? "" : "s");
  }
  if (errors > 0 || (o.warnings_as_errors && warnings > 0)) return kInvalidInput;
  return kOk;
}

}  // namespace goap::cli
