// YAML -> model::World: reading files and `uses:`, shared helpers, and loader.h's functions.
// See world_loader.h for how the loader is split, yaml_doc.h for the input limits.
#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <filesystem>

#include "core/names.h"
#include "plugin_api/plugin.h"
#include "load/secrets.h"
#include "load/sensor_loader.h"
#include "load/world_loader.h"

namespace goap::load::detail {

namespace {
bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

bool under(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path == dir || (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

// glob(3) calls back into these (GLOB_ALTDIRFUNC) with no user pointer: the guard of the glob
// running on this thread.
struct GlobGuard {
  const WorldLoader* loader = nullptr;
  std::size_t entries = 0;
  bool over_budget = false;
};
thread_local GlobGuard* t_glob_guard = nullptr;
}  // namespace

bool WorldLoader::inside_roots(const fs::path& canonical) const {
  const std::string c = canonical.string();
  return std::any_of(roots_.begin(), roots_.end(), [&c](const std::string& r) { return under(c, r); });
}

namespace {
void* guarded_opendir(const char* name) {
  GlobGuard* g = t_glob_guard;
  char real[PATH_MAX];
  if (g == nullptr || g->over_budget || ::realpath(name, real) == nullptr) {
    errno = EACCES;
    return nullptr;
  }
  // Never list a folder outside the tree, nor the kernel's: /proc alone holds thousands of entries.
  if (!g->loader->inside_roots(real) || under(real, "/proc") || under(real, "/sys") || under(real, "/dev")) {
    errno = EACCES;
    return nullptr;
  }
  return ::opendir(real);
}
struct dirent* guarded_readdir(void* d) {
  GlobGuard* g = t_glob_guard;
  if (g != nullptr && ++g->entries > kMaxGlobEntries) {
    g->over_budget = true;
    return nullptr;
  }
  return ::readdir(static_cast<DIR*>(d));
}
void guarded_closedir(void* d) { ::closedir(static_cast<DIR*>(d)); }
int guarded_stat(const char* p, struct stat* st) { return ::stat(p, st); }
int guarded_lstat(const char* p, struct stat* st) { return ::lstat(p, st); }
}  // namespace

void WorldLoader::set_roots(const fs::path& world_path) {
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(world_path, ec), ec).parent_path();
  if (dir.filename() == "worlds" && dir.has_parent_path()) dir = dir.parent_path();
  roots_.push_back(dir.string());
  for (const std::string& a : options_.allow_outside) {
    const fs::path c = fs::weakly_canonical(fs::absolute(a, ec), ec);
    if (!ec) roots_.push_back(c.string());
  }
}

void WorldLoader::report_outside(SourceLoc at, const std::string& display) {
  diags_.error(at, "'" + display + "' is outside the world's folder; goap does not read it")
      .hint("'uses' reads files inside the folder of the world file (or the folder above a 'worlds' folder); "
            "to let another folder in, pass --allow-outside DIR");
}

std::optional<std::vector<std::string>> WorldLoader::guarded_glob(const std::string& pattern, const std::string& full,
                                                                  SourceLoc at) {
  // The folder the pattern starts from, before its first wildcard, must itself be inside.
  fs::path base;
  for (const fs::path& part : fs::path(full)) {
    if (has_glob_chars(part.string())) break;
    base /= part;
  }
  if (base.empty()) base = ".";  // a pattern such as `*.yaml` beside a world given as `world.yaml`
  std::error_code ec;
  if (!inside_roots(fs::weakly_canonical(fs::absolute(base, ec), ec))) {
    report_outside(at, pattern);
    return std::nullopt;
  }
  GlobGuard guard{this};
  GlobGuard* const outer = t_glob_guard;
  t_glob_guard = &guard;
  glob_t g{};
  g.gl_opendir = guarded_opendir;
  g.gl_readdir = guarded_readdir;
  g.gl_closedir = guarded_closedir;
  g.gl_stat = guarded_stat;
  g.gl_lstat = guarded_lstat;
  const int rc = ::glob(full.c_str(), GLOB_ALTDIRFUNC, nullptr, &g);
  t_glob_guard = outer;
  std::vector<std::string> matches;
  const std::size_t count = rc == 0 ? g.gl_pathc : 0;
  for (std::size_t i = 0; i < count && i <= kMaxGlobMatches; ++i) matches.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  if (guard.over_budget) {
    diags_.error(at, "'" + pattern + "' reads more than " + std::to_string(kMaxGlobEntries) +
                         " directory entries, the limit for one 'uses' glob")
        .hint("name the folder the files are in more precisely");
    return std::nullopt;
  }
  if (count > kMaxGlobMatches) {
    diags_.error(at, "'" + pattern + "' matches " + std::to_string(count) + " files, more than the limit of " +
                         std::to_string(kMaxGlobMatches))
        .hint("name the files more precisely, or split them across several 'uses' entries");
    return std::nullopt;
  }
  return matches;
}

std::vector<std::string> names_of(std::initializer_list<const char*> keys) {
  return std::vector<std::string>(keys.begin(), keys.end());
}

std::optional<World> WorldLoader::load(const std::string& path, std::optional<std::string> text) {
  const std::size_t errors_before = diags_.error_count();
  std::optional<YamlFile> y = text ? detail::parse_yaml(path, std::move(*text), sm_, diags_)
                                   : detail::read_yaml_file(path, path, sm_, diags_);
  if (!y) return std::nullopt;
  const fs::path p(path);
  auto kind = kind_of(*y, {"world"});
  if (!kind) return std::nullopt;
  if (*kind != "world") {
    diags_.error(loc_of(get(y->root, "kind"), y->file, sm_), "expected a world file here, but this is 'kind: " + *kind + "'")
        .hint("pass the world file that uses it");
    return std::nullopt;
  }
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(fs::absolute(p, ec), ec);
  set_roots(p);
  docs_.push_back(Doc{*y, "world", p.parent_path()});
  world_.files.push_back(path);
  loaded_.insert(canon.string());
  stack_.push_back(canon.string());
  load_uses(docs_.front());
  stack_.pop_back();

  const YAML::Node& root = docs_.front().y.root;
  const auto wf = docs_.front().y.file;
  check_keys(root, wf, names_of({"kind", "name", "doc", "uses", "types", "objects", "facts", "state", "actions", "goals",
                                "escalate", "escalate_every"}),
             "a world file");
  read_name(root, wf, p);
  read_escalate(root, wf);
  read_types(get(root, "types"), wf);
  read_objects(get(root, "objects"), wf);
  read_facts(get(root, "facts"), wf);
  for (const Doc& d : docs_) read_actions(get(d.y.root, "actions"), d.y.file);
  for (const Doc& d : docs_) read_goals(get(d.y.root, "goals"), d.y.file);
  if (auto lines = read_state_list(get(root, "state"), wf, world_)) {
    // A world file is read again on every run: `for` there would be evidence that never ages.
    for (const model::StateLine& l : *lines)
      if (l.held_for.count() > 0)
        diags_.error(l.loc, "a world's own state cannot say how long a fact has held")
            .hint("'for' belongs in a precondition, a 'when', or a state file (--state) for plan and next");
    world_.state_lines = std::move(*lines);
  }
  check_escalate();
  if (diags_.error_count() != errors_before) return std::nullopt;
  return std::move(world_);
}

void WorldLoader::check_alone(const YamlFile& y, const std::string& kind) {
  const YAML::Node& root = y.root;
  if (kind == "actions") {
    check_keys(root, y.file, names_of({"kind", "doc", "uses", "actions"}), "an actions file");
    read_actions(get(root, "actions"), y.file);
  } else if (kind == "goals") {
    check_keys(root, y.file, names_of({"kind", "doc", "uses", "goals"}), "a goals file");
    read_goals(get(root, "goals"), y.file);
  } else if (kind == "state") {
    check_keys(root, y.file, names_of({"kind", "doc", "state"}), "a state file");
    for (const SourceText& s : detail::expression_list(get(root, "state"), y.file, sm_, diags_, "'state'"))
      check_syntax(s, diags_);
  }
}

std::optional<std::vector<model::StateLine>> WorldLoader::read_state_list(const YAML::Node& n, std::uint32_t file,
                                                             const World& w) {
  std::vector<model::StateLine> out;
  bool ok = true;
  std::unordered_map<model::GroundTerm, SourceLoc, model::GroundTermHash> seen;
  for (const SourceText& s : detail::expression_list(n, file, sm_, diags_, "'state'")) {
    auto line = resolve_state_line(s, w, diags_, &broken_);
    if (!line) {
      ok = false;
      continue;
    }
    auto [it, fresh] = seen.emplace(line->term, line->loc);
    if (!fresh) {
      diags_.error(line->loc, "the state sets '" + w.term_name(line->term) + "' twice")
          .note(it->second, "first set here");
      ok = false;
      continue;
    }
    out.push_back(std::move(*line));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> WorldLoader::kind_of(const YamlFile& y, std::initializer_list<const char*> expected) {
  const SourceLoc top{y.file, 1, 1, 1};
  if (!y.root.IsMap()) {
    diags_.error(loc_of(y.root, y.file, sm_, top), std::string("a goap file is a mapping with 'kind:' at the top, not ") +
                                                       node_kind_name(y.root));
    return std::nullopt;
  }
  const YAML::Node k = get(y.root, "kind");
  if (!k.IsDefined()) {
    diags_.error(top, "missing 'kind:'").hint("start the file with 'kind: world', 'kind: actions', 'kind: goals' or 'kind: state'");
    return std::nullopt;
  }
  static const std::vector<std::string> kinds{"world", "actions", "goals", "state"};
  if (!k.IsScalar() || std::find(kinds.begin(), kinds.end(), k.Scalar()) == kinds.end()) {
    auto& d = diags_.error(loc_of(k, y.file, sm_, top),
                           "unknown kind '" + (k.IsScalar() ? k.Scalar() : std::string("?")) + "'");
    std::string h = k.IsScalar() ? core::did_you_mean(k.Scalar(), kinds) : "";
    d.hint(h.empty() ? "kind is one of 'world', 'actions', 'goals' or 'state'" : h);
    return std::nullopt;
  }
  (void)expected;
  return k.Scalar();
}

void WorldLoader::load_uses(const Doc from) {
  const YAML::Node uses = get(from.y.root, "uses");
  if (!uses.IsDefined() || uses.IsNull()) return;
  std::vector<YAML::Node> items;
  if (uses.IsScalar()) {
    items.push_back(uses);
  } else if (uses.IsSequence()) {
    for (const auto& u : uses) items.push_back(u);
  } else {
    diags_.error(loc_of(uses, from.y.file, sm_), "'uses' must be a list of file paths or globs");
    return;
  }
  for (const YAML::Node& item : items) {
    const SourceLoc at = loc_of(item, from.y.file, sm_);
    if (!item.IsScalar() || item.Scalar().empty()) {
      diags_.error(at, "each 'uses' entry must be a file path or glob");
      continue;
    }
    const std::string pattern = item.Scalar();
    const fs::path full = from.dir / pattern;
    std::vector<std::string> matches;
    if (has_glob_chars(pattern)) {
      auto found = guarded_glob(pattern, full.string(), at);
      if (!found) continue;
      matches = std::move(*found);
      if (matches.empty()) {
        diags_.error(at, "'" + pattern + "' matches no file")
            .hint("paths in 'uses' are relative to the folder of this file ('" +
                  (from.dir.empty() ? std::string(".") : from.dir.string()) + "')");
        continue;
      }
      std::sort(matches.begin(), matches.end());  // deterministic order whatever the locale
    } else {
      std::error_code ec;
      // Outside the tree is refused before anything is looked up there, not even whether it exists.
      if (!inside_roots(fs::weakly_canonical(fs::absolute(full, ec), ec))) {
        report_outside(at, full.lexically_normal().string());
        continue;
      }
      if (!fs::exists(full, ec)) {
        diags_.error(at, "no such file: '" + full.lexically_normal().string() + "'")
            .hint("paths in 'uses' are relative to the folder of this file ('" +
                  (from.dir.empty() ? std::string(".") : from.dir.string()) + "')");
        continue;
      }
      matches.push_back(full.string());
    }
    for (const std::string& m : matches) load_used(m, at);
  }
}

void WorldLoader::load_used(const std::string& path, SourceLoc at) {
  std::error_code ec;
  const std::string canon = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
  if (std::find(stack_.begin(), stack_.end(), canon) != stack_.end()) {
    std::string chain;
    bool on = false;
    for (const std::string& s : stack_) {
      if (s == canon) on = true;
      if (on) chain += fs::path(s).filename().string() + " -> ";
    }
    chain += fs::path(canon).filename().string();
    diags_.error(at, "'uses' cycle: " + chain).hint("a file may not use itself, directly or through others");
    return;
  }
  const std::string display = fs::path(path).lexically_normal().string();
  // A glob match or a symbolic link may lead out of the tree: judged by where it really is.
  if (!inside_roots(canon)) {
    report_outside(at, display);
    return;
  }
  if (!loaded_.insert(canon).second) return;  // already loaded through another path
  // Regular files only, never /proc or /sys, at most 4 MiB (core/input_file.h).
  auto text = detail::read_file_text(path, display, sm_, diags_, at);
  if (!text) return;
  if (!detail::declares_goap_kind(*text)) {
    diags_.error(at, "'" + display + "' is not a goap file: it has no 'kind: actions' or 'kind: goals' line")
        .hint("'uses' pulls in goap actions and goals files; goap shows nothing of other files");
    return;
  }
  auto y = detail::parse_yaml(display, std::move(*text), sm_, diags_, at);
  if (!y) return;
  auto kind = kind_of(*y, {"actions", "goals"});
  if (!kind) return;
  if (*kind != "actions" && *kind != "goals") {
    diags_.error(loc_of(get(y->root, "kind"), y->file, sm_), "a world can use actions and goals files, not 'kind: " + *kind + "'")
        .note(at, "used from here");
    return;
  }
  world_.files.push_back(display);
  Doc d{*y, *kind, fs::path(path).parent_path()};
  check_keys(d.y.root, d.y.file,
             *kind == "actions" ? names_of({"kind", "doc", "uses", "actions"}) : names_of({"kind", "doc", "uses", "goals"}),
             *kind == "actions" ? "an actions file" : "a goals file");
  stack_.push_back(canon);
  docs_.push_back(d);
  load_uses(d);
  stack_.pop_back();
}

void WorldLoader::check_keys(const YAML::Node& map, std::uint32_t file, const std::vector<std::string>& allowed,
                const std::string& what) {
  if (!map.IsMap()) return;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) continue;
    const std::string& k = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    auto& d = diags_.error(loc_of(kv.first, file, sm_), "unknown key '" + k + "' in " + what);
    if (auto h = core::did_you_mean(k, allowed); !h.empty())
      d.hint(h);
    else
      d.hint("allowed keys: " + [&] {
        std::string s;
        for (std::size_t i = 0; i < allowed.size(); ++i) s += (i ? ", " : "") + allowed[i];
        return s;
      }());
  }
}

bool WorldLoader::expect_map(const YAML::Node& n, std::uint32_t file, const std::string& what, const std::string& example) {
  if (!n.IsDefined() || n.IsNull()) return false;
  if (n.IsMap()) return true;
  diags_.error(loc_of(n, file, sm_), what + " must be a mapping, not " + node_kind_name(n)).hint("write e.g. " + example);
  return false;
}

bool WorldLoader::check_name(const YAML::Node& key, std::uint32_t file, const std::string& what) {
  if (!key.IsScalar()) {
    diags_.error(loc_of(key, file, sm_), what + " name must be a plain name");
    return false;
  }
  if (!core::is_valid_name(key.Scalar())) {
    diags_.error(loc_of(key, file, sm_), "'" + key.Scalar() + "' is not a valid " + what + " name")
        .hint("names match [a-z][a-z0-9_-]*: lower case, digits, '_' and '-'");
    return false;
  }
  return true;
}

std::optional<long long> WorldLoader::read_int(const YAML::Node& n, std::uint32_t file, const std::string& what, long long lo,
                                  long long hi) {
  const SourceLoc at = loc_of(n, file, sm_);
  if (!n.IsScalar()) {
    diags_.error(at, what + " must be a whole number, not " + node_kind_name(n));
    return std::nullopt;
  }
  const std::string& s = n.Scalar();
  long long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    diags_.error(at, what + " must be a whole number, not '" + s + "'");
    return std::nullopt;
  }
  if (v < lo || v > hi) {
    diags_.error(at, what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " + s);
    return std::nullopt;
  }
  return v;
}

void WorldLoader::read_escalate(const YAML::Node& root, std::uint32_t file) {
  const YAML::Node e = get(root, "escalate");
  if (e.IsDefined()) {
    if (check_name(e, file, "action")) {
      world_.escalate = e.Scalar();
      world_.escalate_loc = loc_of(e, file, sm_);
    }
  }
  const YAML::Node every = get(root, "escalate_every");
  if (every.IsDefined()) {
    const auto d = every.IsScalar() ? plugin::parse_duration(every.Scalar()) : std::nullopt;
    if (!d || d->count() <= 0)
      diags_.error(loc_of(every, file, sm_), "'escalate_every' must be a duration such as 30m or 1h")
          .hint("the default is 1h: each goal escalates once per cause in any hour");
    else
      world_.escalate_every_ms = d->count();
    if (!e.IsDefined())
      diags_.warning(loc_of(every, file, sm_), "'escalate_every' without 'escalate:' does nothing")
          .hint("name the action to run when a goal is stuck: 'escalate: notify-operator'");
  }
}

void WorldLoader::check_escalate() {
  if (world_.escalate.empty() || !resolving_) return;
  auto it = world_.action_index.find(world_.escalate);
  if (it == world_.action_index.end()) {
    std::vector<std::string> names;
    for (const auto& a : world_.actions) names.push_back(a.name);
    auto& d = diags_.error(world_.escalate_loc, "'escalate' names no action: '" + world_.escalate + "'");
    if (auto h = core::did_you_mean(world_.escalate, names); !h.empty()) d.hint(h);
    return;
  }
  const model::Action& a = world_.action(it->second);
  if (!a.params.empty())
    diags_.error(world_.escalate_loc, "the escalation action '" + a.name + "' takes parameters, so goap cannot choose them")
        .note(a.loc, "'" + a.name + "' declared here")
        .hint("escalate with an action without 'params:'; ${goap.goal} and ${goap.reason} say what is stuck");
  else if (!a.run)
    diags_.error(world_.escalate_loc, "the escalation action '" + a.name + "' has no 'run:', so goap cannot carry it out")
        .note(a.loc, "'" + a.name + "' declared here");
}

std::optional<bool> WorldLoader::read_bool(const YAML::Node& n, std::uint32_t file, const std::string& what) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  diags_.error(loc_of(n, file, sm_), what + " must be true or false");
  return std::nullopt;
}

}  // namespace goap::load::detail

namespace goap::load {

using detail::get;
using detail::loc_of;
using detail::WorldLoader;
using core::SourceLoc;

std::optional<model::World> load_world(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags,
                                       const LoadOptions& options) {
  return WorldLoader(sm, diags, options).load(path, std::nullopt);
}

std::optional<model::World> load_world_text(const std::string& path, std::string text, core::SourceManager& sm,
                                            core::Diagnostics& diags, const LoadOptions& options) {
  return WorldLoader(sm, diags, options).load(path, std::move(text));
}

std::optional<std::vector<model::StateLine>> load_state_text(const std::string& display_name, std::string text,
                                                             const model::World& world, core::SourceManager& sm,
                                                             core::Diagnostics& diags) {
  // Counted before parsing: a duplicate key is reported by parse_yaml, which still returns
  // the file so that the other errors show too.
  const std::size_t before = diags.error_count();
  auto y = detail::parse_yaml(display_name, std::move(text), sm, diags);
  if (!y) return std::nullopt;
  WorldLoader loader(sm, diags);
  auto kind = loader.kind_of(*y, {"state"});
  if (!kind) return std::nullopt;
  if (*kind != "state") {
    diags.error(loc_of(get(y->root, "kind"), y->file, sm), "expected 'kind: state' here, not 'kind: " + *kind + "'")
        .hint("a state file holds only 'kind: state' and a 'state:' list");
    return std::nullopt;
  }
  for (const auto& kv : y->root) {
    if (kv.first.IsScalar() && kv.first.Scalar() != "kind" && kv.first.Scalar() != "state" && kv.first.Scalar() != "doc") {
      auto& d = diags.error(loc_of(kv.first, y->file, sm), "unknown key '" + kv.first.Scalar() + "' in a state file");
      if (auto h = core::did_you_mean(kv.first.Scalar(), {"kind", "state", "doc"}); !h.empty()) d.hint(h);
    }
  }
  auto lines = loader.read_state_list(get(y->root, "state"), y->file, world);
  if (!lines || diags.error_count() != before) return std::nullopt;
  return lines;
}

std::optional<model::StateLine> parse_state_line(const std::string& display_name, const std::string& line,
                                                 const model::World& world, core::SourceManager& sm,
                                                 core::Diagnostics& diags) {
  const auto f = sm.add(display_name, line);
  SourceText st;
  st.text = line;
  st.pieces.push_back(SourceText::Piece{0, SourceLoc{f, 1, 1, 1}, true});
  return resolve_state_line(st, world, diags);
}

void apply_state_lines(const model::World& world, const std::vector<model::StateLine>& lines, model::State& state) {
  for (const model::StateLine& l : lines) {
    state.set(l.term, l.value, world.fact(l.term.fact));
    if (l.held_for.count() > 0) state.set_held(l.term, l.held_for);
  }
}

namespace {

std::optional<model::World> check_one(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags,
                                      const LoadOptions& options) {
  // Peek at the kind first: a world is loaded fully, anything else only for syntax.
  core::SourceManager peek_sm;
  core::Diagnostics peek_diags;
  auto peek = detail::read_yaml_file(path, path, peek_sm, peek_diags);
  std::string kind;
  if (peek && peek->root.IsMap() && get(peek->root, "kind").IsScalar()) kind = get(peek->root, "kind").Scalar();
  if (kind == "world" || kind.empty() || !peek) {
    auto world = load_world(path, sm, diags, options);
    // The world's sensors file (<stem>.sensors.yaml beside it) is part of it for sense and run.
    if (world)
      if (const std::string sensors = default_sensors_path(path); !sensors.empty()) load_sensors(sensors, *world, sm, diags);
    return world;
  }
  if (kind == "sensors") {
    // Sensors name facts and their types: they are checked against the world they sit beside.
    namespace fs = std::filesystem;
    const std::string suffix = ".sensors.yaml";
    std::string world_path;
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      world_path = path.substr(0, path.size() - suffix.size()) + ".yaml";
    std::error_code ec;
    if (world_path.empty() || !fs::is_regular_file(world_path, ec)) {
      auto y = detail::read_yaml_file(path, path, sm, diags);
      if (!y) return std::nullopt;
      const YAML::Node k = get(y->root, "kind");
      diags.error(loc_of(k, y->file, sm), "a sensors file is checked against its world, and " +
                                              (world_path.empty() ? std::string("this one is not named <world>.sensors.yaml")
                                                                  : "there is no " + world_path))
          .hint("keep it beside its world as <world>.sensors.yaml, then check either file");
      return std::nullopt;
    }
    core::Diagnostics world_diags;
    auto world = load_world(world_path, sm, world_diags, options);
    if (!world) {
      diags.append(world_diags);
      return std::nullopt;
    }
    load_sensors(path, *world, sm, diags);
    return std::nullopt;
  }
  auto y = detail::read_yaml_file(path, path, sm, diags);
  if (!y) return std::nullopt;
  WorldLoader loader(sm, diags);
  loader.resolving_ = false;
  auto k = loader.kind_of(*y, {"actions", "goals", "state"});
  if (k) loader.check_alone(*y, *k);
  return std::nullopt;
}

}  // namespace

std::optional<model::World> check_file(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags,
                                       const LoadOptions& options) {
  const auto first = static_cast<std::uint32_t>(sm.size());
  auto world = check_one(path, sm, diags, options);
  // Every file the check read (the world, its uses, its sensors): no secret written into any.
  warn_secret_literals(sm, first, diags);
  return world;
}

}  // namespace goap::load
