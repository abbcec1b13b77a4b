// Boost.DLL is included here and nowhere else (TOOLCHAIN.md: header-only with BOOST_DLL_USE_STD_FS,
// <vector> before the DLL headers).
#include <vector>

#include "plugin_host/plugin_host.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>

// Where `meson install` puts the plugins: GOAP_PLUGIN_REL_DIR relative to the installed binary's
// folder (so a moved prefix still finds them), GOAP_PLUGIN_INSTALL_DIR as configured (empty when
// not set; the relative one is empty when libdir or bindir lies outside the prefix).
#ifndef GOAP_PLUGIN_INSTALL_DIR
#define GOAP_PLUGIN_INSTALL_DIR ""
#endif
#ifndef GOAP_PLUGIN_REL_DIR
#define GOAP_PLUGIN_REL_DIR ""
#endif

namespace goap::plugin_host {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kPrefix = "goap-plugin-";
constexpr std::string_view kSuffix = ".so";

bool is_plugin_file_name(const std::string& n) {
  return n.size() > kPrefix.size() + kSuffix.size() && n.rfind(kPrefix, 0) == 0 &&
         n.compare(n.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

std::string name_from_file(const std::string& n) {
  return n.substr(kPrefix.size(), n.size() - kPrefix.size() - kSuffix.size());
}

bool valid_name(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

std::string str(const char* s) { return s ? s : ""; }

// Why a file must not be loaded, or "" when it may be. The rule (plugin_host.h): nobody but
// root and the user running goap can change the file or any directory on its real path.
std::string unsafe_reason(const fs::path& file) {
  struct stat st {};
  if (stat(file.c_str(), &st) != 0) return "cannot stat the file";
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if (st.st_mode & S_IWOTH) return "the file is world-writable (anyone could replace the code goap runs); chmod o-w it";
  if (st.st_mode & S_IWGRP)
    return "the file is group-writable (every member of its group could replace the code goap runs); chmod g-w it";
  const auto foreign = [](uid_t uid) { return uid != 0 && uid != geteuid(); };
  if (foreign(st.st_uid))
    return "the file belongs to user " + std::to_string(st.st_uid) + ", not to root or to the user running goap";
  std::error_code ec;
  const fs::path real = fs::canonical(file, ec);
  if (ec) return "cannot resolve its path: " + ec.message();
  // Every directory up to /: one that others may write to without the sticky bit lets them
  // rename what it holds, this file's folder included, and put their own in its place.
  for (fs::path dir = real.parent_path();; dir = dir.parent_path()) {
    struct stat d {};
    if (stat(dir.c_str(), &d) != 0) return "cannot stat the directory " + dir.string();
    const bool parent = dir == real.parent_path();
    const std::string which = parent ? "its directory" : "its ancestor directory " + dir.string();
    const char* who = (d.st_mode & S_IWOTH) ? "world-writable" : "group-writable";
    if ((d.st_mode & (S_IWOTH | S_IWGRP)) && !(d.st_mode & S_ISVTX))
      return which + " is " + who + " without the sticky bit (others could swap the file); chmod go-w " + dir.string();
    if (foreign(d.st_uid))
      return which + " belongs to user " + std::to_string(d.st_uid) + ", not to root or to the user running goap";
    if (dir == dir.parent_path()) break;
  }
  return {};
}

KindInfo copy_kind(const char* name, const char* doc, const char* value_type, const goap_param_info* params,
                   std::size_t count) {
  KindInfo k{str(name), str(doc), str(value_type), {}};
  for (std::size_t i = 0; params && i < count; ++i) {
    ParamInfo p{str(params[i].name), str(params[i].type), std::nullopt, str(params[i].doc)};
    if (params[i].default_value) p.default_value = params[i].default_value;
    k.params.push_back(std::move(p));
  }
  return k;
}

}  // namespace

const ParamInfo* KindInfo::param(std::string_view n) const {
  for (const auto& p : params)
    if (p.name == n) return &p;
  return nullptr;
}

const KindInfo* PluginInfo::action(std::string_view n) const {
  for (const auto& k : actions)
    if (k.name == n) return &k;
  return nullptr;
}

const KindInfo* PluginInfo::sensor(std::string_view n) const {
  for (const auto& k : sensors)
    if (k.name == n) return &k;
  return nullptr;
}

const KindInfo* select_action_kind(const PluginInfo& p, std::string_view action_name, std::string_view kind) {
  if (!kind.empty()) return p.action(kind);
  if (const KindInfo* k = p.action(action_name)) return k;
  return p.actions.empty() ? nullptr : &p.actions.front();
}

struct PluginSet::Impl {
  // Declared first so they are destroyed last: the plugins' copies hold no plugin memory, but
  // keep the order that would matter if they did (TOOLCHAIN.md).
  std::vector<boost::dll::shared_library> libraries;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins;
  std::vector<Problem> problems;
  std::vector<std::string> searched;

  void load_file(const fs::path& file) {
    const std::string path = file.string();
    if (std::string why = unsafe_reason(file); !why.empty()) {
      problems.push_back({path, "refused: " + why});
      return;
    }
    boost::dll::shared_library lib;
    boost::dll::fs::error_code ec;
    lib.load(boost::dll::fs::path(path), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) {
      const char* detail = dlerror();
      problems.push_back({path, "cannot load: " + (detail ? std::string(detail) : ec.message())});
      return;
    }
    std::string missing;
    for (const char* sym : {GOAP_PLUGIN_SYM_VERSION, GOAP_PLUGIN_SYM_DESCRIBE, GOAP_PLUGIN_SYM_INVOKE})
      if (!lib.has(sym)) missing += std::string(missing.empty() ? "'" : ", '") + sym + "'";
    if (!missing.empty()) {
      problems.push_back({path, "not a goap plugin: it does not export " + missing + " (see engine/plugin_api/goap_plugin.h)"});
      return;
    }
    auto version = lib.get<std::uint32_t()>(GOAP_PLUGIN_SYM_VERSION);
    const std::uint32_t v = version();
    if (v != GOAP_PLUGIN_API_VERSION) {
      problems.push_back({path, "built for plugin API version " + std::to_string(v) + ", but this goap speaks version " +
                                    std::to_string(GOAP_PLUGIN_API_VERSION) + "; rebuild the plugin"});
      return;
    }
    auto describe = lib.get<const goap_plugin_info*()>(GOAP_PLUGIN_SYM_DESCRIBE);
    const goap_plugin_info* info = describe();
    if (info == nullptr || info->api_version != GOAP_PLUGIN_API_VERSION) {
      problems.push_back({path, "its description is missing or of another API version"});
      return;
    }
    PluginInfo pi{str(info->name), str(info->version), str(info->doc), path, {}, {}};
    const std::string expected = name_from_file(file.filename().string());
    if (!valid_name(pi.name)) {
      problems.push_back({path, "calls itself '" + pi.name + "', which is not a valid name ([a-z][a-z0-9_-]*)"});
      return;
    }
    if (pi.name != expected) {
      problems.push_back({path, "calls itself '" + pi.name + "' but its file is named for '" + expected +
                                    "'; rename it goap-plugin-" + pi.name + ".so"});
      return;
    }
    for (const auto& p : plugins) {
      if (p->info().name == pi.name) {
        problems.push_back({path, "duplicate plugin '" + pi.name + "': already loaded from " + p->info().path +
                                      " (earlier in the search path); remove one of them"});
        return;
      }
    }
    for (std::size_t i = 0; info->actions && i < info->action_count; ++i) {
      const auto& a = info->actions[i];
      pi.actions.push_back(copy_kind(a.name, a.doc, "", a.params, a.param_count));
    }
    for (std::size_t i = 0; info->sensors && i < info->sensor_count; ++i) {
      const auto& s = info->sensors[i];
      pi.sensors.push_back(copy_kind(s.name, s.doc, s.value_type, s.params, s.param_count));
    }
    const goap_plugin_invoke_fn invoke = lib.get<std::int32_t(const goap_request*, goap_response*)>(GOAP_PLUGIN_SYM_INVOKE);
    plugins.push_back(std::make_unique<LoadedPlugin>(std::move(pi), invoke));
    libraries.push_back(std::move(lib));
  }
};

PluginSet::PluginSet() : impl_(std::make_unique<Impl>()) {}
PluginSet::~PluginSet() = default;
PluginSet::PluginSet(PluginSet&&) noexcept = default;
PluginSet& PluginSet::operator=(PluginSet&&) noexcept = default;

PluginSet PluginSet::load(const std::vector<std::string>& dirs) {
  PluginSet set;
  std::set<std::string> seen_dirs, seen_files;
  for (const std::string& d : dirs) {
    std::error_code ec;
    const fs::path dir = fs::weakly_canonical(fs::absolute(d, ec), ec);
    if (ec || !fs::is_directory(dir, ec)) continue;
    if (!seen_dirs.insert(dir.string()).second) continue;
    set.impl_->searched.push_back(dir.string());
    std::vector<fs::path> files;
    auto scan = [&](const fs::path& where, bool descend) {
      std::error_code e;
      for (const auto& entry : fs::directory_iterator(where, e)) {
        const std::string n = entry.path().filename().string();
        if (entry.is_regular_file(e) && is_plugin_file_name(n)) files.push_back(entry.path());
        else if (descend && entry.is_directory(e)) {
          std::error_code e2;
          for (const auto& inner : fs::directory_iterator(entry.path(), e2))
            if (inner.is_regular_file(e2) && is_plugin_file_name(inner.path().filename().string()))
              files.push_back(inner.path());
        }
      }
    };
    scan(dir, true);
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::error_code e;
      const std::string canon = fs::canonical(f, e).string();
      if (!seen_files.insert(e ? f.string() : canon).second) continue;
      set.impl_->load_file(f);
    }
  }
  return set;
}

const LoadedPlugin* PluginSet::find(std::string_view name) const {
  for (const auto& p : impl_->plugins)
    if (p->info().name == name) return p.get();
  return nullptr;
}

const std::vector<std::unique_ptr<LoadedPlugin>>& PluginSet::plugins() const { return impl_->plugins; }
const std::vector<Problem>& PluginSet::problems() const { return impl_->problems; }
const std::vector<std::string>& PluginSet::searched() const { return impl_->searched; }

std::vector<std::string> search_dirs(const std::vector<std::string>& plugin_dirs) {
  std::vector<std::string> dirs = plugin_dirs;
  if (const char* env = std::getenv("GOAP_PLUGIN_PATH"); env != nullptr) {
    std::string s = env;
    std::size_t start = 0;
    while (start <= s.size()) {
      const std::size_t colon = s.find(':', start);
      const std::string part = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!part.empty()) dirs.push_back(part);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  // The binary's real location (/proc/self/exe: symbolic links resolved), so that an install
  // moved as a whole, or unpacked anywhere (dpkg -x), finds the plugins it came with.
  bool beside = false;
  boost::dll::fs::error_code ec;
  const auto exe = boost::dll::program_location(ec);
  if (!ec) {
    const fs::path bin = fs::path(exe.string()).parent_path();
    dirs.push_back((bin / "plugins").string());
    if (std::string_view(GOAP_PLUGIN_REL_DIR).size() > 0) {
      const fs::path rel = (bin / GOAP_PLUGIN_REL_DIR).lexically_normal();
      std::error_code e;
      beside = fs::is_directory(rel, e);
      dirs.push_back(rel.string());
    }
  }
  // The configured folder only when the install beside the binary has none: a copy of a prefix
  // must not also load the original's plugins (two plugins of one name).
  if (!beside && std::string_view(GOAP_PLUGIN_INSTALL_DIR).size() > 0) dirs.emplace_back(GOAP_PLUGIN_INSTALL_DIR);
  return dirs;
}

}  // namespace goap::plugin_host
