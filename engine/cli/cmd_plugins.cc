// `goap plugins`: what plugins goap finds, what they carry out and sense, and what it refused.
// Also the plugin checks `goap check` runs over `run:` sections.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/plugin_support.h"
#include "core/names.h"
#include "exec/binding.h"
#include "plugin_api/argv_guard.h"
#include "plugin_host/invoke.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;

json kind_json(const plugin_host::KindInfo& k, bool sensor) {
  json params = json::array();
  for (const auto& p : k.params) {
    json j{{"name", p.name}, {"type", p.type}, {"required", !p.default_value.has_value()}};
    if (p.default_value) j["default"] = *p.default_value;
    j["doc"] = p.doc;
    params.push_back(std::move(j));
  }
  json out{{"name", k.name}, {"doc", k.doc}};
  if (sensor) out["value_type"] = k.value_type;
  out["params"] = std::move(params);
  return out;
}

void print_kind(const plugin_host::KindInfo& k, const char* what) {
  std::printf("  %s %s", what, k.name.c_str());
  if (!k.value_type.empty()) std::printf(" (reads a %s fact)", k.value_type.c_str());
  std::printf(": %s\n", k.doc.c_str());
  for (const auto& p : k.params) {
    std::string dflt = !p.default_value ? "required" : p.default_value->empty() ? "default \"\"" : "default " + *p.default_value;
    for (char& c : dflt)
      if (c == '\n') c = ' ';
    std::printf("    %-14s %-9s %-22s %s\n", p.name.c_str(), p.type.c_str(), dflt.c_str(), p.doc.c_str());
  }
}

// Templates in option positions (exec::in_option_position), filled with every object that can
// bind them: each value that would be refused when the step runs is an error at its `with:` line.
// `who` names the action or sensor in messages, `ground` prefixes the objects of a binding.
void check_option_positions(const model::World& world, const std::string& who, const std::string& ground_name,
                            const std::vector<model::Param>& params,
                            const std::vector<std::pair<std::string, model::WithValue>>& with,
                            const plugin_host::KindInfo& kind, core::Diagnostics& diags) {
  constexpr std::size_t kMaxBindings = 10'000;  // per item; a world with more objects is checked in part
  for (const auto& [name, v] : with) {
    const plugin_host::ParamInfo* info = kind.param(name);
    if (info == nullptr) continue;
    // A hand-written ssh: whatever follows the destination is joined with spaces and parsed
    // again by the remote shell, so goap cannot keep a template there one argument.
    const bool ssh = info->type == "list" && exec::runs_over_ssh(v);
    if (ssh) {
      const bool templated = std::any_of(v.items.begin() + 1, v.items.end(),
                                         [](const std::string& x) { return x.find("${") != std::string::npos; });
      if (templated) {
        const bool has_host = kind.param("host") != nullptr;
        auto& d = diags.warning(v.loc, who + ": '" + name + "' runs ssh with templates: ssh joins the words after the "
                                           "destination with spaces and the remote shell parses them again, so a value "
                                           "can become shell text on the remote host");
        d.hint(has_host ? "give '" + name + "' the remote argv alone and the host as 'host:' (with 'ssh_user:', ...): "
                          "the plugin then sends one quoted command"
                        : "use a plugin that runs commands over ssh itself, such as command with 'host:'");
      }
    }
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      if (ssh && i > 0 && v.items[i].find("${") != std::string::npos) {
        // Each value that would be refused when the step runs (exec::argv_option_issues).
        std::vector<std::string> reported;
        for (const exec::TemplateValue& tv : exec::template_values(v.items[i], world, params, kMaxBindings)) {
          const std::string what = plugin::check_remote_word(tv.value);
          if (what.empty() || std::find(reported.begin(), reported.end(), tv.value) != reported.end()) continue;
          reported.push_back(tv.value);
          std::string ground = ground_name + "(";
          for (std::size_t k = 0; k < tv.binding.size(); ++k) ground += (k ? ", " : "") + world.object(tv.binding[k]).name;
          ground += ")";
          diags.error(v.loc, who + ": '" + name + "' element " + std::to_string(i + 1) + " would be '" +
                                 plugin::printable(tv.value) + "' for " + ground + ", which must be " + what)
              .hint("goap refuses such a value before the step runs");
          if (reported.size() >= 5) break;
        }
      }
      if (!exec::in_option_position(v, i, info->type)) continue;
      std::vector<std::string> reported;
      for (const exec::TemplateValue& tv : exec::template_values(v.items[i], world, params, kMaxBindings)) {
        std::string what = plugin::check_value(info->type, tv.value);
        if (what.empty() && info->type == "list" && !tv.value.empty() && tv.value[0] == '-')
          what = "an argument, not an option (it starts with '-')";
        if (what.empty() || std::find(reported.begin(), reported.end(), tv.value) != reported.end()) continue;
        reported.push_back(tv.value);
        std::string ground = ground_name + "(";
        for (std::size_t k = 0; k < tv.binding.size(); ++k) ground += (k ? ", " : "") + world.object(tv.binding[k]).name;
        ground += ")";
        auto& d = diags.error(v.loc, who + ": '" + name + "'" +
                                         (info->type == "list" ? " element " + std::to_string(i + 1) : std::string()) +
                                         " would be '" + plugin::printable(tv.value) + "' for " + ground + ", which must be " + what);
        if (info->type == "list")
          d.hint("a template may not start an argv element with '-' unless the element comes after a literal \"--\"");
        else
          d.hint("'" + name + "' is a " + info->type + ": goap refuses such a value before the plugin runs");
        if (reported.size() >= 5) break;
      }
    }
  }
}

}  // namespace

plugin_host::PluginSet load_plugins(const std::vector<std::string>& plugin_dirs, bool quiet) {
  auto set = plugin_host::PluginSet::load(plugin_host::search_dirs(plugin_dirs));
  if (!quiet)
    for (const auto& p : set.problems()) std::fprintf(stderr, "goap: warning: plugin %s: %s\n", p.path.c_str(), p.message.c_str());
  return set;
}

int run_plugins(const PluginsOptions& o, const CommonOptions&) {
  const auto set = load_plugins(o.plugin_dirs, o.json);
  if (o.json) {
    json plugins = json::array();
    for (const auto& lp : set.plugins()) {
      const auto& i = lp->info();
      json actions = json::array(), sensors = json::array();
      for (const auto& k : i.actions) actions.push_back(kind_json(k, false));
      for (const auto& k : i.sensors) sensors.push_back(kind_json(k, true));
      plugins.push_back(json{{"name", i.name}, {"version", i.version}, {"path", i.path}, {"doc", i.doc},
                             {"actions", std::move(actions)}, {"sensors", std::move(sensors)}});
    }
    json problems = json::array();
    for (const auto& p : set.problems()) problems.push_back(json{{"path", p.path}, {"message", p.message}});
    json out{{"format_version", 1}, {"api_version", GOAP_PLUGIN_API_VERSION}, {"plugins", std::move(plugins)},
             {"problems", std::move(problems)}, {"searched", set.searched()}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    for (const auto& lp : set.plugins()) {
      const auto& i = lp->info();
      std::printf("%s %s  %s\n", i.name.c_str(), i.version.c_str(), i.path.c_str());
      if (!i.doc.empty()) std::printf("  %s\n", i.doc.c_str());
      for (const auto& k : i.actions) print_kind(k, "action");
      for (const auto& k : i.sensors) print_kind(k, "sensor");
      std::printf("\n");
    }
    if (set.plugins().empty()) std::printf("no plugins found\n");
    std::printf("searched (plugin API %u):", GOAP_PLUGIN_API_VERSION);
    for (const auto& d : set.searched()) std::printf(" %s", d.c_str());
    std::printf("\n");
  }
  return set.problems().empty() ? kOk : kInvalidInput;
}

void check_runs(const model::World& world, const std::string& world_path, core::SourceManager& sm,
                const std::vector<std::string>& plugin_dirs, core::Diagnostics& diags) {
  const auto set = load_plugins(plugin_dirs);
  if (set.plugins().empty()) {
    bool any_run = false;
    for (const auto& a : world.actions) any_run = any_run || a.run.has_value();
    if (any_run)
      std::fprintf(stderr,
                   "goap: note: no plugins found, so 'run:' sections were not checked against them "
                   "(searched the --plugin-dir values, GOAP_PLUGIN_PATH and beside the goap binary)\n");
    return;
  }
  std::vector<std::string> names;
  for (const auto& p : set.plugins()) names.push_back(p->info().name);
  for (const model::Action& a : world.actions) {
    if (!a.run) continue;
    const plugin_host::LoadedPlugin* p = set.find(a.run->plugin);
    if (p == nullptr) {
      auto& d = diags.error(a.run->loc, "action '" + a.name + "' runs plugin '" + a.run->plugin + "', which goap cannot find");
      if (auto h = core::did_you_mean(a.run->plugin, names); !h.empty()) d.hint(h);
      else d.hint("plugins found: " + core::quoted_list(names) + " (see 'goap plugins')");
      continue;
    }
    const plugin_host::KindInfo* kind = plugin_host::select_action_kind(p->info(), a.name, a.run->kind);
    if (kind == nullptr && !a.run->kind.empty()) {
      std::vector<std::string> kinds;
      for (const auto& k : p->info().actions) kinds.push_back(k.name);
      auto& d = diags.error(a.run->loc, "action '" + a.name + "': plugin '" + a.run->plugin + "' has no action kind '" +
                                            a.run->kind + "'");
      if (auto h = core::did_you_mean(a.run->kind, kinds); !h.empty()) d.hint(h);
      else d.hint("its kinds: " + core::quoted_list(kinds) + " (see 'goap plugins')");
      continue;
    }
    if (kind == nullptr) {
      diags.error(a.run->loc, "plugin '" + a.run->plugin + "' carries out no actions (it only senses)");
      continue;
    }
    std::vector<plugin_host::Param> params;
    for (const auto& [name, v] : a.run->with) params.push_back({name, v.items, v.is_list});
    for (const auto& issue : plugin_host::check_params(*kind, params, true)) {
      core::SourceLoc at = a.run->loc;
      for (const auto& [name, v] : a.run->with)
        if (name == issue.param) at = v.loc;
      auto& d = diags.error(at, "action '" + a.name + "': plugin " + issue.message);
      if (!issue.hint.empty()) d.hint(issue.hint);
    }
    check_option_positions(world, "action '" + a.name + "'", a.name, a.params, a.run->with, *kind, diags);
  }
  // The sensors beside the world: the same templates, read from the same attributes.
  const std::string sensors_path = load::default_sensors_path(world_path);
  if (sensors_path.empty()) return;
  core::Diagnostics ignored;  // load errors are check_file's to report
  const auto specs = load::load_sensors(sensors_path, world, sm, ignored);
  if (!specs) return;
  for (const load::SensorSpec& sp : *specs) {
    const plugin_host::LoadedPlugin* p = set.find(sp.plugin);
    if (p == nullptr) continue;
    const plugin_host::KindInfo* kind =
        sp.sensor.empty() ? (p->info().sensors.empty() ? nullptr : &p->info().sensors.front()) : p->info().sensor(sp.sensor);
    if (kind == nullptr) continue;
    check_option_positions(world, "sensor '" + sp.text + "'", sp.text.substr(0, sp.text.find('(')), sp.params, sp.with,
                           *kind, diags);
  }
}

}  // namespace goap::cli
