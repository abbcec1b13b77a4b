// The YAML world loader's internals: one class, defined across three files by concept.
//
//   world_loader.cc   reading files and `uses:` (globs, cycles), shared helpers, and the public
//                     functions of loader.h
//   declarations.cc   types, objects and facts (the world's vocabulary)
//   bodies.cc         actions and goals: parameters, conditions, effects, `run:` templates
//
// Internal to engine/load, the only module that includes yaml-cpp. The loader collects every
// diagnostic; a declaration that failed is remembered (`broken_`) so its uses add no noise.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "load/loader.h"
#include "load/resolve.h"
#include "load/yaml_doc.h"

namespace goap::load::detail {

namespace fs = std::filesystem;
using core::SourceLoc;
using model::World;

inline constexpr int kMaxIntDomain = 1 << 16;  // values of one int fact: the grounded domain stays small
inline constexpr int kMaxCost = 1000000000;

struct Doc {
  YamlFile y;
  std::string kind;
  fs::path dir;  // folder of the file, for its own `uses:`
};

std::vector<std::string> names_of(std::initializer_list<const char*> keys);

class WorldLoader {
 public:
  WorldLoader(core::SourceManager& sm, core::Diagnostics& diags, LoadOptions options = {})
      : sm_(sm), diags_(diags), options_(std::move(options)) {}

  std::optional<World> load(const std::string& path, std::optional<std::string> text);

  // A lone file for `goap check`: structure and expression syntax only.
  void check_alone(const YamlFile& y, const std::string& kind);

  std::optional<std::vector<model::StateLine>> read_state_list(const YAML::Node& n, std::uint32_t file,
                                                               const World& w);

  std::optional<std::string> kind_of(const YamlFile& y, std::initializer_list<const char*> expected);

  // True when a canonical path lies inside the world's tree or an --allow-outside folder.
  [[nodiscard]] bool inside_roots(const fs::path& canonical) const;

 private:
  // ---- files -------------------------------------------------------------------------------
  // `from` is taken by value: loading more files grows docs_.
  void load_uses(const Doc from);

  void load_used(const std::string& path, SourceLoc at);

  // The world's tree and the --allow-outside folders, canonical; set by load().
  void set_roots(const fs::path& world_path);
  void report_outside(SourceLoc at, const std::string& display);

  // A `uses:` glob, listing only folders inside the roots; nullopt when it was reported.
  std::optional<std::vector<std::string>> guarded_glob(const std::string& pattern, const std::string& full, SourceLoc at);

  // ---- helpers -----------------------------------------------------------------------------
  void check_keys(const YAML::Node& map, std::uint32_t file, const std::vector<std::string>& allowed,
                  const std::string& what);

  bool expect_map(const YAML::Node& n, std::uint32_t file, const std::string& what, const std::string& example);

  bool check_name(const YAML::Node& key, std::uint32_t file, const std::string& what);

  template <class Id>
  bool declare(std::unordered_map<std::string, Id>& index, const std::string& name, std::size_t position,
               SourceLoc at, SourceLoc previous_of_existing, const std::string& what) {
    auto [it, fresh] = index.emplace(name, Id::from(position));
    if (!fresh) {
      diags_.error(at, what + " '" + name + "' is declared twice").note(previous_of_existing, "first declared here");
      return false;
    }
    return true;
  }

  std::optional<long long> read_int(const YAML::Node& n, std::uint32_t file, const std::string& what, long long lo,
                                    long long hi);

  std::optional<bool> read_bool(const YAML::Node& n, std::uint32_t file, const std::string& what);

  // ---- world -------------------------------------------------------------------------------
  void read_name(const YAML::Node& root, std::uint32_t file, const fs::path& p);

  void read_types(const YAML::Node& n, std::uint32_t file);

  std::optional<model::TypeId> find_type(const std::string& name, SourceLoc at);

  void read_objects(const YAML::Node& n, std::uint32_t file);

  // `reachable(host)` -> name and parameter types, located inside the key.
  bool parse_fact_key(const SourceText& key, model::FactDecl& decl);

  // `bool`, `int[0..3]`, `enum[a, b]`, located inside the value.
  bool parse_fact_type(const SourceText& v, model::FactDecl& decl);

  void read_facts(const YAML::Node& n, std::uint32_t file);

  std::vector<model::Param> read_params(const YAML::Node& n, std::uint32_t file, const std::string& key, bool& ok);

  // `${h}`, `${h.address}`, `$$`: every template must name a parameter of the action.
  void read_escalate(const YAML::Node& root, std::uint32_t file);
  void check_escalate();
  void check_templates(const YAML::Node& v, std::uint32_t file, const model::Action& a);

  std::optional<model::RunSpec> read_run(const YAML::Node& n, std::uint32_t file, const model::Action& a);

  // `budget: {max: N, per: DURATION}`.
  std::optional<model::ActionBudget> read_budget(const YAML::Node& n, std::uint32_t file, const model::Action& a);

  void read_actions(const YAML::Node& n, std::uint32_t file);

  void read_goals(const YAML::Node& n, std::uint32_t file);

 public:
  bool resolving_ = true;

 private:
  core::SourceManager& sm_;
  core::Diagnostics& diags_;
  LoadOptions options_;
  std::vector<std::string> roots_;
  World world_;
  Broken broken_;  // declarations that failed: their uses give no second error
  std::vector<Doc> docs_;
  std::unordered_set<std::string> loaded_;
  std::vector<std::string> stack_;
};

}  // namespace goap::load::detail
