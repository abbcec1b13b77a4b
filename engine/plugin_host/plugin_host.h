// Finding, checking and loading plugins (the only module that includes Boost.DLL).
//
// Search path, in order (earlier wins; a directory reached twice is searched once):
//   1. every --plugin-dir
//   2. GOAP_PLUGIN_PATH (':'-separated)
//   3. beside the goap binary (its real path, from /proc/self/exe): <bindir>/plugins (the build
//      tree, a portable install) and the install's plugin folder taken relative to <bindir>
//      (<bindir>/../lib/<triplet>/goap/plugins as meson configured it), so that a prefix moved
//      with `mv`, or a package unpacked with `dpkg -x`, finds its own plugins
//   4. the plugin folder configured at build time (<prefix>/<libdir>/goap/plugins), only when
//      the relative one of 3. does not exist (a lone copied binary still finds the install's)
// In each directory, files named goap-plugin-<name>.so, there or one folder down
// (build/plugins/<name>/goap-plugin-<name>.so).
//
// A plugin file is refused, with a Problem naming the file and the reason, when someone other
// than root and the user running goap could change it: the file is group- or world-writable or
// belongs to another user, or a directory anywhere on its real path (symbolic links resolved,
// up to /) belongs to another user or is group- or world-writable without the sticky bit (a
// sticky directory such as /tmp is fine: others cannot rename what they do not own). Also when
// it cannot be loaded, lacks one of the three symbols of goap_plugin.h,
// speaks another API version, calls itself by another name than its file, or has the name of a
// plugin already loaded. Problems are data: each command decides whether they matter.
//
// Ownership: a PluginSet owns the libraries; the info it copied out lives as long as it does.
// Calling into a plugin happens through invoke.h, in a child process.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_api/goap_plugin.h"

namespace goap::plugin_host {

struct ParamInfo {
  std::string name;
  std::string type;
  std::optional<std::string> default_value;  // nullopt: required
  std::string doc;
};

struct KindInfo {
  std::string name;
  std::string doc;
  std::string value_type;  // sensors: bool | int | enum
  std::vector<ParamInfo> params;
  [[nodiscard]] const ParamInfo* param(std::string_view name) const;
};

struct PluginInfo {
  std::string name;
  std::string version;
  std::string doc;
  std::string path;  // absolute
  std::vector<KindInfo> actions;
  std::vector<KindInfo> sensors;
  [[nodiscard]] const KindInfo* action(std::string_view name) const;
  [[nodiscard]] const KindInfo* sensor(std::string_view name) const;
};

struct Problem {
  std::string path;
  std::string message;
};

class LoadedPlugin {
 public:
  LoadedPlugin(PluginInfo info, goap_plugin_invoke_fn invoke) : info_(std::move(info)), invoke_(invoke) {}
  [[nodiscard]] const PluginInfo& info() const { return info_; }
  [[nodiscard]] goap_plugin_invoke_fn invoke_fn() const { return invoke_; }

 private:
  PluginInfo info_;
  goap_plugin_invoke_fn invoke_;
};

class PluginSet {
 public:
  PluginSet();
  ~PluginSet();
  PluginSet(PluginSet&&) noexcept;
  PluginSet& operator=(PluginSet&&) noexcept;

  // Searches `dirs` in order and loads every plugin found.
  static PluginSet load(const std::vector<std::string>& dirs);

  [[nodiscard]] const LoadedPlugin* find(std::string_view name) const;
  [[nodiscard]] const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const;
  [[nodiscard]] const std::vector<Problem>& problems() const;
  [[nodiscard]] const std::vector<std::string>& searched() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The search path for these --plugin-dir values, GOAP_PLUGIN_PATH and the binary's location.
std::vector<std::string> search_dirs(const std::vector<std::string>& plugin_dirs);

// The kind a `run:` selects: its `kind:` when given (nullptr when the plugin has no such kind),
// else the kind named like the world's action when the plugin has one, else the plugin's first
// action kind. nullptr when it has none.
const KindInfo* select_action_kind(const PluginInfo& p, std::string_view action_name, std::string_view kind = {});

}  // namespace goap::plugin_host
