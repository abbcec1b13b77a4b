// YAML -> model::World. See loader.h for the contract and yaml_doc.h for the input limits.
#include <glob.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "core/names.h"
#include "load/loader.h"
#include "load/resolve.h"
#include "load/yaml_doc.h"

namespace goap::load {
namespace {

namespace fs = std::filesystem;
using core::SourceLoc;
using detail::loc_of;
using detail::get;
using detail::node_kind_name;
using detail::scalar_text;
using detail::YamlFile;
using model::World;

constexpr int kMaxIntDomain = 1 << 16;  // values of one int fact: the grounded domain stays small
constexpr int kMaxCost = 1000000000;

struct Doc {
  YamlFile y;
  std::string kind;
  fs::path dir;  // folder of the file, for its own `uses:`
};

std::vector<std::string> names_of(std::initializer_list<const char*> keys) {
  return std::vector<std::string>(keys.begin(), keys.end());
}

bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

class WorldLoader {
 public:
  WorldLoader(core::SourceManager& sm, core::Diagnostics& diags) : sm_(sm), diags_(diags) {}

  std::optional<World> load(const std::string& path, std::optional<std::string> text) {
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
    docs_.push_back(Doc{*y, "world", p.parent_path()});
    world_.files.push_back(path);
    loaded_.insert(canon.string());
    stack_.push_back(canon.string());
    load_uses(docs_.front());
    stack_.pop_back();

    const YAML::Node& root = docs_.front().y.root;
    const auto wf = docs_.front().y.file;
    check_keys(root, wf, names_of({"kind", "name", "doc", "uses", "types", "objects", "facts", "state", "actions", "goals"}),
               "a world file");
    read_name(root, wf, p);
    read_types(get(root, "types"), wf);
    read_objects(get(root, "objects"), wf);
    read_facts(get(root, "facts"), wf);
    for (const Doc& d : docs_) read_actions(get(d.y.root, "actions"), d.y.file);
    for (const Doc& d : docs_) read_goals(get(d.y.root, "goals"), d.y.file);
    if (auto lines = read_state_list(get(root, "state"), wf, world_)) world_.state_lines = std::move(*lines);
    if (diags_.error_count() != errors_before) return std::nullopt;
    return std::move(world_);
  }

  // A lone file for `goap check`: structure and expression syntax only.
  void check_alone(const YamlFile& y, const std::string& kind) {
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

  std::optional<std::vector<model::StateLine>> read_state_list(const YAML::Node& n, std::uint32_t file,
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

  std::optional<std::string> kind_of(const YamlFile& y, std::initializer_list<const char*> expected) {
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

 private:
  // ---- files -------------------------------------------------------------------------------
  void load_uses(const Doc from) {  // by value: loading more files grows docs_
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
        glob_t g{};
        const int rc = ::glob(full.string().c_str(), 0, nullptr, &g);
        if (rc == 0)
          for (std::size_t i = 0; i < g.gl_pathc; ++i) matches.emplace_back(g.gl_pathv[i]);
        ::globfree(&g);
        if (matches.empty()) {
          diags_.error(at, "'" + pattern + "' matches no file")
              .hint("paths in 'uses' are relative to the folder of this file ('" +
                    (from.dir.empty() ? std::string(".") : from.dir.string()) + "')");
          continue;
        }
        std::sort(matches.begin(), matches.end());  // deterministic order whatever the locale
      } else {
        std::error_code ec;
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

  void load_used(const std::string& path, SourceLoc at) {
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
    if (!loaded_.insert(canon).second) return;  // already loaded through another path
    const std::string display = fs::path(path).lexically_normal().string();
    // Only regular files: a FIFO or a device such as /dev/stdin would block goap forever, and
    // a directory can't be read (a world given on the command line may still be a pipe).
    if (!fs::is_regular_file(path, ec)) {
      auto& d = diags_.error(at, "'" + display + "' is not a regular file");
      if (fs::is_directory(path, ec))
        d.hint("'uses' names files; to take every file in it write '" + display + "/*.yaml'");
      return;
    }
    auto y = detail::read_yaml_file(path, display, sm_, diags_, at);
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

  // ---- helpers -----------------------------------------------------------------------------
  void check_keys(const YAML::Node& map, std::uint32_t file, const std::vector<std::string>& allowed,
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

  bool expect_map(const YAML::Node& n, std::uint32_t file, const std::string& what, const std::string& example) {
    if (!n.IsDefined() || n.IsNull()) return false;
    if (n.IsMap()) return true;
    diags_.error(loc_of(n, file, sm_), what + " must be a mapping, not " + node_kind_name(n)).hint("write e.g. " + example);
    return false;
  }

  bool check_name(const YAML::Node& key, std::uint32_t file, const std::string& what) {
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

  std::optional<bool> read_bool(const YAML::Node& n, std::uint32_t file, const std::string& what) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (s == "true") return true;
      if (s == "false") return false;
    }
    diags_.error(loc_of(n, file, sm_), what + " must be true or false");
    return std::nullopt;
  }

  // ---- world -------------------------------------------------------------------------------
  void read_name(const YAML::Node& root, std::uint32_t file, const fs::path& p) {
    const YAML::Node n = get(root, "name");
    world_.loc = SourceLoc{file, 1, 1, 1};
    if (!n.IsDefined()) {
      world_.name = p.stem().string();
      return;
    }
    if (check_name(n, file, "world")) world_.name = n.Scalar();
  }

  void read_types(const YAML::Node& n, std::uint32_t file) {
    world_.types.push_back(model::Type{"object", {}, {}});
    world_.type_index.emplace("object", model::TypeId::from(0));
    if (!expect_map(n, file, "'types'", "{host: {}, vps: {is: host}}")) return;
    std::vector<std::pair<std::size_t, YAML::Node>> parents;
    for (const auto& kv : n) {
      if (!check_name(kv.first, file, "type")) continue;
      const std::string name = kv.first.Scalar();
      const SourceLoc at = loc_of(kv.first, file, sm_);
      if (name == "object") {
        diags_.error(at, "'object' is built in: every type is already an object");
        continue;
      }
      const std::size_t pos = world_.types.size();
      auto it = world_.type_index.find(name);
      if (it != world_.type_index.end()) {
        declare(world_.type_index, name, pos, at, world_.type(it->second).loc, "type");
        continue;
      }
      world_.type_index.emplace(name, model::TypeId::from(pos));
      world_.types.push_back(model::Type{name, model::TypeId::from(0), at});
      const YAML::Node& body = kv.second;
      if (body.IsNull()) continue;
      if (!body.IsMap()) {
        diags_.error(loc_of(body, file, sm_, at), "a type is declared as {} or {is: parent}, not " + std::string(node_kind_name(body)))
            .hint("write '" + name + ": {}' or '" + name + ": {is: host}'");
        continue;
      }
      check_keys(body, file, names_of({"is", "doc"}), "a type");
      if (get(body, "is").IsDefined()) parents.emplace_back(pos, get(body, "is"));
    }
    std::vector<std::string> names;
    for (const auto& t : world_.types) names.push_back(t.name);
    for (auto& [pos, pn] : parents) {
      const SourceLoc at = loc_of(pn, file, sm_);
      if (!pn.IsScalar()) {
        diags_.error(at, "'is' names one parent type");
        continue;
      }
      auto it = world_.type_index.find(pn.Scalar());
      if (it == world_.type_index.end()) {
        auto& d = diags_.error(at, "unknown type '" + pn.Scalar() + "'");
        if (auto h = core::did_you_mean(pn.Scalar(), names); !h.empty()) d.hint(h);
        continue;
      }
      world_.types[pos].parent = it->second;
    }
    // A cycle would make is_subtype loop: cut it and report it.
    // A type that only leads into a cycle is not in it: the walk gives up on it (bounded by the
    // number of types) and the cycle is reported once, at its first member, with the whole chain.
    for (std::size_t i = 1; i < world_.types.size(); ++i) {
      std::string chain = world_.types[i].name;
      std::size_t steps = 0;
      for (model::TypeId t = world_.types[i].parent; t.valid() && ++steps <= world_.types.size();
           t = world_.types[t.index()].parent) {
        chain += " -> " + world_.types[t.index()].name;
        if (t.index() == i) {
          diags_.error(world_.types[i].loc, "type '" + world_.types[i].name + "' is its own ancestor: " + chain)
              .hint("the 'is:' chain must end at a type without 'is:'");
          world_.types[i].parent = model::TypeId::from(0);
          break;
        }
      }
    }
  }

  std::optional<model::TypeId> find_type(const std::string& name, SourceLoc at) {
    auto it = world_.type_index.find(name);
    if (it != world_.type_index.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& t : world_.types) names.push_back(t.name);
    auto& d = diags_.error(at, "unknown type '" + name + "'");
    if (auto h = core::did_you_mean(name, names); !h.empty())
      d.hint(h);
    else
      d.hint("declare it under 'types:'");
    return std::nullopt;
  }

  void read_objects(const YAML::Node& n, std::uint32_t file) {
    if (!expect_map(n, file, "'objects'", "{hermes-vps: {type: vps, address: 10.0.0.1}, ezra: agent}")) return;
    for (const auto& kv : n) {
      if (!check_name(kv.first, file, "object")) continue;
      const std::string name = kv.first.Scalar();
      const SourceLoc at = loc_of(kv.first, file, sm_);
      model::Object obj{name, {}, {}, at};
      const YAML::Node& body = kv.second;
      const YAML::Node type_node = body.IsMap() ? get(body, "type") : body;
      if (body.IsScalar()) {
      } else if (body.IsMap()) {
        if (!type_node.IsDefined()) {
          diags_.error(loc_of(body, file, sm_, at), "object '" + name + "' needs a 'type:'")
              .hint("write '" + name + ": {type: host, ...}' or '" + name + ": host'");
          continue;
        }
        for (const auto& a : body) {
          if (!a.first.IsScalar() || a.first.Scalar() == "type") continue;
          if (!a.second.IsScalar()) {
            diags_.error(loc_of(a.second, file, sm_, loc_of(a.first, file, sm_)),
                         "attribute '" + a.first.Scalar() + "' must be a single value, not " + node_kind_name(a.second))
                .hint("plugins read attributes as strings; quote it if it contains ': ' or '#'");
            continue;
          }
          obj.attributes.emplace_back(a.first.Scalar(), a.second.Scalar());
        }
      } else {
        diags_.error(loc_of(body, file, sm_, at), "object '" + name + "' needs a type")
            .hint("write '" + name + ": host' or '" + name + ": {type: host, address: ...}'");
        continue;
      }
      if (!type_node.IsScalar()) {
        diags_.error(loc_of(type_node, file, sm_, at), "an object's type is one type name");
        continue;
      }
      auto t = find_type(type_node.Scalar(), loc_of(type_node, file, sm_, at));
      if (!t) continue;
      obj.type = *t;
      const std::size_t pos = world_.objects.size();
      if (auto it = world_.object_index.find(name); it != world_.object_index.end()) {
        declare(world_.object_index, name, pos, at, world_.object(it->second).loc, "object");
        continue;
      }
      world_.object_index.emplace(name, model::ObjectId::from(pos));
      world_.objects.push_back(std::move(obj));
    }
    for (const auto& kv : n)
      if (kv.first.IsScalar() && core::is_valid_name(kv.first.Scalar()) && !world_.object_index.contains(kv.first.Scalar()))
        broken_.objects.insert(kv.first.Scalar());
  }

  // `reachable(host)` -> name and parameter types, located inside the key.
  bool parse_fact_key(const SourceText& key, model::FactDecl& decl) {
    const std::string& s = key.text;
    const auto open = s.find('(');
    std::string name = s.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!core::is_valid_name(name)) {
      diags_.error(key.at(0, static_cast<std::uint32_t>(name.empty() ? 1 : name.size())),
                   "'" + name + "' is not a valid fact name")
          .hint("names match [a-z][a-z0-9_-]*; parameters go in parentheses: 'reachable(host)'");
      return false;
    }
    decl.name = name;
    if (open == std::string::npos) return true;
    const auto close = s.find(')', open);
    if (close == std::string::npos) {
      diags_.error(key.at(static_cast<std::uint32_t>(open)), "this '(' is never closed").hint("write e.g. 'reachable(host)'");
      return false;
    }
    if (close + 1 != s.size()) {
      diags_.error(key.at(static_cast<std::uint32_t>(close + 1)), "unexpected text after ')'");
      return false;
    }
    bool ok = true;
    std::size_t p = open + 1;
    if (s.find_first_not_of(' ', p) == close) return true;  // `f()` is `f`
    while (p <= close) {
      std::size_t q = s.find_first_of(",)", p);
      std::size_t b = p, e = q;
      while (b < e && s[b] == ' ') ++b;
      while (e > b && s[e - 1] == ' ') --e;
      const std::string tname = s.substr(b, e - b);
      const SourceLoc at = key.at(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(std::max<std::size_t>(1, e - b)));
      if (tname.empty()) {
        diags_.error(at, "missing parameter type");
        ok = false;
      } else if (tname[0] == '$' || tname[0] == '?') {
        diags_.error(at, "fact parameters are types, not variables").hint("write e.g. 'reachable(host)'");
        ok = false;
      } else if (auto t = find_type(tname, at)) {
        decl.params.push_back(*t);
      } else {
        ok = false;
      }
      p = q + 1;
    }
    return ok;
  }

  // `bool`, `int[0..3]`, `enum[a, b]`, located inside the value.
  bool parse_fact_type(const SourceText& v, model::FactDecl& decl) {
    std::string s = v.text;
    const auto bad = [&](std::uint32_t off, std::uint32_t len, const std::string& msg,
                         const std::string& hint = "a fact is 'bool', 'int[lo..hi]' or 'enum[a, b, ...]'") {
      diags_.error(v.at(off, len), msg).hint(hint);
      return false;
    };
    if (s == "bool") {
      decl.kind = model::ValueKind::boolean;
      return true;
    }
    const auto br = s.find('[');
    const std::string head = s.substr(0, br);
    if (head != "int" && head != "enum") {
      std::string h = core::did_you_mean(head, {"bool", "int", "enum"});
      auto& d = diags_.error(v.at(0, static_cast<std::uint32_t>(std::max<std::size_t>(1, head.size()))),
                             "unknown fact type '" + head + "'");
      d.hint(h.empty() ? "a fact is 'bool', 'int[lo..hi]' or 'enum[a, b, ...]'" : h);
      return false;
    }
    if (br == std::string::npos || s.back() != ']')
      return bad(static_cast<std::uint32_t>(head.size()), 1, "'" + head + "' needs its values in brackets");
    const std::string inner = s.substr(br + 1, s.size() - br - 2);
    const auto inner_off = static_cast<std::uint32_t>(br + 1);
    if (head == "int") {
      const auto dots = inner.find("..");
      if (dots == std::string::npos) return bad(inner_off, static_cast<std::uint32_t>(std::max<std::size_t>(1, inner.size())), "an int range is written 'int[lo..hi]'");
      auto num = [&](std::size_t b, std::size_t e, long long& out) {
        while (b < e && inner[b] == ' ') ++b;
        while (e > b && inner[e - 1] == ' ') --e;
        const auto [p, ec] = std::from_chars(inner.data() + b, inner.data() + e, out);
        if (ec != std::errc() || p != inner.data() + e || b == e) {
          bad(inner_off + static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(std::max<std::size_t>(1, e - b)),
              "'" + inner.substr(b, e - b) + "' is not a whole number");
          return false;
        }
        return true;
      };
      long long lo = 0, hi = 0;
      if (!num(0, dots, lo) || !num(dots + 2, inner.size(), hi)) return false;
      if (lo > hi) return bad(inner_off, static_cast<std::uint32_t>(inner.size()), "the range is empty: " + std::to_string(lo) + " > " + std::to_string(hi),
                              "write the lower bound first: 'int[" + std::to_string(hi) + ".." + std::to_string(lo) + "]'");
      if (lo < -1000000000LL || hi > 1000000000LL || hi - lo + 1 > kMaxIntDomain)
        return bad(inner_off, static_cast<std::uint32_t>(inner.size()),
                   "an int fact may take at most " + std::to_string(kMaxIntDomain) + " values",
                   "the planner enumerates every value; model coarser steps (an enum such as [low, high])");
      decl.kind = model::ValueKind::integer;
      decl.lo = static_cast<int>(lo);
      decl.hi = static_cast<int>(hi);
      decl.default_index = 0;
      return true;
    }
    decl.kind = model::ValueKind::enumeration;
    std::size_t p = 0;
    std::unordered_map<std::string, std::size_t> seen;
    while (p <= inner.size()) {
      std::size_t q = inner.find(',', p);
      if (q == std::string::npos) q = inner.size();
      std::size_t b = p, e = q;
      while (b < e && inner[b] == ' ') ++b;
      while (e > b && inner[e - 1] == ' ') --e;
      const std::string val = inner.substr(b, e - b);
      const auto off = inner_off + static_cast<std::uint32_t>(b);
      if (!core::is_valid_name(val))
        return bad(off, static_cast<std::uint32_t>(std::max<std::size_t>(1, val.size())), "'" + val + "' is not a valid enum value",
                   "enum values are names: [a-z][a-z0-9_-]*");
      if (!seen.emplace(val, b).second)
        return bad(off, static_cast<std::uint32_t>(val.size()), "enum value '" + val + "' is listed twice", "keep one");
      decl.enum_values.push_back(val);
      p = q + 1;
    }
    if (decl.enum_values.size() < 2) return bad(inner_off, 1, "an enum needs at least two values",
                                                   "a fact with one possible value never changes; use 'bool' for yes/no");
    return true;
  }

  void read_facts(const YAML::Node& n, std::uint32_t file) {
    if (!expect_map(n, file, "'facts'", "{reachable(host): bool, restarts: int[0..3]}")) return;
    // In a flow mapping `{link(a, b): bool}` YAML ends the key at the comma, giving the keys
    // `link(a` (no value) and `b)`. As in flow lists (FORMAT.md section 3), rejoin them.
    struct Entry {
      SourceText key;
      YAML::Node key_node, value;
    };
    std::vector<Entry> entries;
    bool open = false;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) {
        diags_.error(loc_of(kv.first, file, sm_), "a fact is declared as 'name(type, ...): bool'");
        open = false;
        continue;
      }
      SourceText piece = scalar_text(kv.first, file, sm_);
      if (open) {
        SourceText& cur = entries.back().key;
        cur.text += ", ";
        const auto at = static_cast<std::uint32_t>(cur.text.size());
        cur.text += piece.text;
        for (auto p : piece.pieces) {
          p.offset += at;
          cur.pieces.push_back(p);
        }
        entries.back().value = kv.second;
      } else {
        entries.push_back(Entry{std::move(piece), kv.first, kv.second});
      }
      const std::string& k = entries.back().key.text;
      open = n.Style() == YAML::EmitterStyle::Flow && kv.second.IsNull() &&
             std::count(k.begin(), k.end(), '(') > std::count(k.begin(), k.end(), ')');
    }
    for (const Entry& e : entries) {
      const SourceLoc at = loc_of(e.key_node, file, sm_);
      const auto kv = std::make_pair(e.key_node, e.value);
      model::FactDecl decl;
      decl.loc = at;
      const SourceText& key = e.key;
      if (!parse_fact_key(key, decl)) continue;
      // Never assign to a YAML::Node that already refers to something: yaml-cpp would overwrite
      // the node it refers to. Pick each one at construction instead.
      const bool long_form = kv.second.IsMap();
      if (long_form) check_keys(kv.second, file, names_of({"type", "default", "external", "doc"}), "a fact");
      const YAML::Node type_node = long_form ? get(kv.second, "type") : kv.second;
      const YAML::Node default_node = get(kv.second, "default");
      if (!type_node.IsScalar()) {
        const bool seq = type_node.IsSequence();
        diags_.error(loc_of(type_node, file, sm_, at), "fact '" + decl.name + "' needs a type: bool, int[lo..hi] or enum[...]")
            .hint(seq ? "write 'enum[a, b]' (a bare [a, b] is a YAML list)" : "write e.g. '" + key.text + ": bool'");
        continue;
      }
      if (!parse_fact_type(scalar_text(type_node, file, sm_), decl)) continue;
      if (const YAML::Node ext = get(kv.second, "external"); ext.IsDefined()) {
        if (auto b = read_bool(ext, file, "'external'")) decl.external = *b; else continue;
      }
      if (default_node.IsDefined()) {
        const SourceLoc dl = loc_of(default_node, file, sm_);
        const std::string dv = default_node.IsScalar() ? default_node.Scalar() : "";
        int idx = -1;
        if (decl.kind == model::ValueKind::boolean) {
          idx = dv == "true" ? 1 : dv == "false" ? 0 : -1;
        } else if (decl.kind == model::ValueKind::enumeration) {
          auto it = std::find(decl.enum_values.begin(), decl.enum_values.end(), dv);
          if (it != decl.enum_values.end()) idx = static_cast<int>(it - decl.enum_values.begin());
        } else {
          long long v = 0;
          const auto [p, ec] = std::from_chars(dv.data(), dv.data() + dv.size(), v);
          if (ec == std::errc() && p == dv.data() + dv.size() && !dv.empty() && v >= decl.lo && v <= decl.hi)
            idx = static_cast<int>(v - decl.lo);
        }
        if (idx < 0) {
          std::string allowed;
          if (decl.kind == model::ValueKind::boolean) allowed = "true or false";
          else if (decl.kind == model::ValueKind::integer) allowed = "from " + std::to_string(decl.lo) + " to " + std::to_string(decl.hi);
          else allowed = "one of " + core::quoted_list(decl.enum_values);
          diags_.error(dl, "'" + dv + "' is not a value of '" + decl.name + "'").hint("allowed values: " + allowed);
          continue;
        }
        decl.default_index = idx;
      }
      const std::size_t pos = world_.facts.size();
      if (auto it = world_.fact_index.find(decl.name); it != world_.fact_index.end()) {
        declare(world_.fact_index, decl.name, pos, at, world_.fact(it->second).loc, "fact");
        continue;
      }
      world_.fact_index.emplace(decl.name, model::FactId::from(pos));
      world_.facts.push_back(std::move(decl));
    }
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) continue;
      std::string name = kv.first.Scalar().substr(0, kv.first.Scalar().find('('));
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (core::is_valid_name(name) && !world_.fact_index.contains(name)) broken_.facts.insert(name);
    }
  }

  std::vector<model::Param> read_params(const YAML::Node& n, std::uint32_t file, const std::string& key, bool& ok) {
    std::vector<model::Param> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsMap()) {
      diags_.error(loc_of(n, file, sm_), "'" + key + "' must be a mapping from parameter name to type, not " + node_kind_name(n))
          .hint("write e.g. '" + key + ": {h: host}'");
      ok = false;
      return out;
    }
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) { ok = false; continue; }
      std::string pname = kv.first.Scalar();
      const SourceLoc at = loc_of(kv.first, file, sm_);
      if (!pname.empty() && (pname[0] == '$' || pname[0] == '?')) {
        diags_.error(at.shifted(0, 1), "write the parameter name without '" + pname.substr(0, 1) + "' here")
            .hint("declare 'h: host' and use it as '$h'");
        ok = false;
        out.push_back(model::Param{pname.substr(1), model::TypeId::invalid(), at});  // no "unknown $h" later
        continue;
      }
      if (!check_name(kv.first, file, "parameter")) { ok = false; continue; }
      // A parameter whose type is wrong stays declared with an invalid type, so that its uses
      // give no second error (resolve.cc skips their type check).
      if (!kv.second.IsScalar()) {
        diags_.error(loc_of(kv.second, file, sm_, at), "parameter '" + pname + "' needs a type");
        ok = false;
        out.push_back(model::Param{pname, model::TypeId::invalid(), at});
        continue;
      }
      if (!resolving_) continue;  // a lone actions/goals file: the types live in a world
      auto t = find_type(kv.second.Scalar(), loc_of(kv.second, file, sm_, at));
      if (!t) ok = false;
      out.push_back(model::Param{pname, t.value_or(model::TypeId::invalid()), at});
    }
    return out;
  }

  // `${h}`, `${h.address}`, `$$`: every template must name a parameter of the action.
  void check_templates(const YAML::Node& v, std::uint32_t file, const model::Action& a) {
    if (!v.IsScalar()) return;
    const SourceText st = scalar_text(v, file, sm_);
    const std::string& s = st.text;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '$') continue;
      if (i + 1 < s.size() && s[i + 1] == '$') { ++i; continue; }
      if (i + 1 >= s.size() || s[i + 1] != '{') {
        diags_.error(st.at(static_cast<std::uint32_t>(i)), "a '$' in 'with:' starts a template '${param}'")
            .hint("write '$$' for a literal '$'");
        continue;
      }
      const auto close = s.find('}', i);
      if (close == std::string::npos) {
        diags_.error(st.at(static_cast<std::uint32_t>(i), 2), "this '${' is never closed");
        return;
      }
      const std::string inner = s.substr(i + 2, close - i - 2);
      const std::string pname = inner.substr(0, inner.find('.'));
      auto it = std::find_if(a.params.begin(), a.params.end(), [&](const model::Param& p) { return p.name == pname; });
      if (it == a.params.end()) {
        std::vector<std::string> names;
        for (const auto& p : a.params) names.push_back(p.name);
        auto& d = diags_.error(st.at(static_cast<std::uint32_t>(i + 2), static_cast<std::uint32_t>(std::max<std::size_t>(1, pname.size()))),
                               "unknown parameter '" + pname + "' in template of action '" + a.name + "'");
        if (auto h = core::did_you_mean(pname, names); !h.empty()) d.hint(h);
      } else if (inner.find('.') != std::string::npos) {
        const std::string attr = inner.substr(inner.find('.') + 1);
        for (model::ObjectId o : world_.objects_of(it->type)) {
          if (world_.object(o).attribute(attr) == nullptr) {
            diags_.warning(st.at(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(close - i + 1)),
                           "object '" + world_.object(o).name + "' has no attribute '" + attr + "', used by action '" + a.name + "'")
                .note(world_.object(o).loc, "'" + world_.object(o).name + "' declared here");
            break;
          }
        }
      }
      i = close;
    }
  }

  std::optional<model::RunSpec> read_run(const YAML::Node& n, std::uint32_t file, const model::Action& a) {
    const SourceLoc at = loc_of(n, file, sm_);
    if (!n.IsMap()) {
      diags_.error(at, "'run' must be a mapping with 'plugin:' and 'with:'").hint("write e.g. 'run: {plugin: command, with: {argv: [true]}}'");
      return std::nullopt;
    }
    check_keys(n, file, names_of({"plugin", "with"}), "'run'");
    model::RunSpec r;
    r.loc = at;
    const YAML::Node p = get(n, "plugin");
    if (!p.IsDefined()) {
      diags_.error(at, "'run' needs a 'plugin:'");
      return std::nullopt;
    }
    if (!check_name(p, file, "plugin")) return std::nullopt;
    r.plugin = p.Scalar();
    const YAML::Node w = get(n, "with");
    if (w.IsDefined() && !w.IsNull()) {
      if (!w.IsMap()) {
        diags_.error(loc_of(w, file, sm_), "'with' must be a mapping of plugin parameters");
        return std::nullopt;
      }
      for (const auto& kv : w) {
        if (!kv.first.IsScalar()) continue;
        model::WithValue wv;
        wv.loc = loc_of(kv.second, file, sm_, loc_of(kv.first, file, sm_));
        if (kv.second.IsScalar()) {
          wv.items.push_back(kv.second.Scalar());
          check_templates(kv.second, file, a);
        } else if (kv.second.IsSequence()) {
          wv.is_list = true;
          for (const auto& item : kv.second) {
            if (!item.IsScalar()) {
              diags_.error(loc_of(item, file, sm_, wv.loc), "items of '" + kv.first.Scalar() + "' must be single values");
              continue;
            }
            wv.items.push_back(item.Scalar());
            check_templates(item, file, a);
          }
        } else if (!kv.second.IsNull()) {
          diags_.error(wv.loc, "plugin parameter '" + kv.first.Scalar() + "' must be a value or a list of values");
          continue;
        }
        r.with.emplace_back(kv.first.Scalar(), std::move(wv));
      }
    }
    return r;
  }

  void read_actions(const YAML::Node& n, std::uint32_t file) {
    if (!expect_map(n, file, "'actions'", "{restart-ollama: {params: {h: host}, pre: [...], eff: [...]}}")) return;
    for (const auto& kv : n) {
      if (!check_name(kv.first, file, "action")) continue;
      model::Action a;
      a.name = kv.first.Scalar();
      a.loc = loc_of(kv.first, file, sm_);
      const YAML::Node& body = kv.second;
      if (!body.IsMap()) {
        diags_.error(loc_of(body, file, sm_, a.loc), "action '" + a.name + "' must be a mapping, not " + node_kind_name(body))
            .hint("write '" + a.name + ": {pre: [...], eff: [...], cost: 1}'");
        continue;
      }
      check_keys(body, file, names_of({"params", "pre", "eff", "cost", "run", "approval", "doc"}), "action '" + a.name + "'");
      bool ok = true;
      a.params = read_params(get(body, "params"), file, "params", ok);
      const std::string owner = "action '" + a.name + "'";
      const Scope scope{&a.params, owner.c_str(), &broken_};
      if (get(body, "doc").IsScalar()) a.doc = get(body, "doc").Scalar();
      if (get(body, "cost").IsDefined()) {
        if (auto c = read_int(get(body, "cost"), file, "the cost of action '" + a.name + "'", 0, kMaxCost))
          a.cost = static_cast<int>(*c);
        else
          ok = false;
      }
      if (get(body, "approval").IsDefined()) {
        if (auto b = read_bool(get(body, "approval"), file, "'approval'")) a.approval = *b; else ok = false;
      }
      if (const YAML::Node eff = get(body, "eff"); !eff.IsDefined()) {
        diags_.error(a.loc, "action '" + a.name + "' has no 'eff:'").hint("an action must change something: add 'eff: [...]'");
        ok = false;
      } else if (eff.IsNull() || (eff.IsSequence() && eff.size() == 0)) {
        // A plan never needs an action that changes nothing.
        diags_.error(loc_of(eff, file, sm_, a.loc), "action '" + a.name + "' has an empty 'eff:'")
            .hint("an action must change something: list at least one effect");
        ok = false;
      }
      if (resolving_) {
        for (const SourceText& s : detail::expression_list(get(body, "pre"), file, sm_, diags_, "'pre'")) {
          if (auto c = resolve_condition(s, world_, scope, ExprUse::precondition, diags_)) a.pre.push_back(std::move(*c)); else ok = false;
        }
        for (const SourceText& s : detail::expression_list(get(body, "eff"), file, sm_, diags_, "'eff'")) {
          auto e = resolve_effect(s, world_, scope, diags_);
          if (!e) { ok = false; continue; }
          for (const model::Effect& prev : a.eff) {
            if (prev.term == e->term) {
              diags_.error(e->loc, "action '" + a.name + "' changes '" + world_.term_text(e->term, a.params) + "' twice")
                  .hint("effects happen at once; keep one")
                  .note(prev.loc, "first changed here");
              ok = false;
            }
          }
          a.eff.push_back(std::move(*e));
        }
        if (get(body, "run").IsDefined()) {
          if (auto r = read_run(get(body, "run"), file, a)) a.run = std::move(*r); else ok = false;
        }
      } else {
        for (const char* key : {"pre", "eff"})
          for (const SourceText& s : detail::expression_list(get(body, key), file, sm_, diags_, std::string("'") + key + "'"))
            check_syntax(s, diags_);
      }
      const std::size_t pos = world_.actions.size();
      if (auto it = world_.action_index.find(a.name); it != world_.action_index.end()) {
        declare(world_.action_index, a.name, pos, a.loc, world_.action(it->second).loc, "action");
        continue;
      }
      if (!ok) continue;
      world_.action_index.emplace(a.name, model::ActionId::from(pos));
      world_.actions.push_back(std::move(a));
    }
  }

  void read_goals(const YAML::Node& n, std::uint32_t file) {
    if (!expect_map(n, file, "'goals'", "{agents-running: {priority: 80, want: [...]}}")) return;
    for (const auto& kv : n) {
      if (!check_name(kv.first, file, "goal")) continue;
      model::Goal g;
      g.name = kv.first.Scalar();
      g.loc = loc_of(kv.first, file, sm_);
      const YAML::Node& body = kv.second;
      if (!body.IsMap()) {
        diags_.error(loc_of(body, file, sm_, g.loc), "goal '" + g.name + "' must be a mapping, not " + node_kind_name(body))
            .hint("write '" + g.name + ": {priority: 50, want: [...]}'");
        continue;
      }
      check_keys(body, file, names_of({"priority", "forall", "when", "want", "doc"}), "goal '" + g.name + "'");
      bool ok = true;
      if (get(body, "doc").IsScalar()) g.doc = get(body, "doc").Scalar();
      if (get(body, "priority").IsDefined()) {
        if (auto p = read_int(get(body, "priority"), file, "'priority'", -1000000, 1000000)) g.priority = static_cast<int>(*p); else ok = false;
      }
      g.forall = read_params(get(body, "forall"), file, "forall", ok);
      const std::string owner = "goal '" + g.name + "'";
      const Scope scope{g.forall.empty() ? nullptr : &g.forall, owner.c_str(), &broken_};
      const YAML::Node want = get(body, "want");
      if (!want.IsDefined() || want.IsNull() || (want.IsSequence() && want.size() == 0)) {
        diags_.error(g.loc, "goal '" + g.name + "' wants nothing").hint("add 'want: [...]' with the facts that should hold");
        ok = false;
      }
      if (resolving_) {
        for (const SourceText& s : detail::expression_list(want, file, sm_, diags_, "'want'")) {
          if (auto c = resolve_condition(s, world_, scope, ExprUse::want, diags_)) g.want.push_back(std::move(*c)); else ok = false;
        }
        g.has_when = get(body, "when").IsDefined();
        for (const SourceText& s : detail::expression_list(get(body, "when"), file, sm_, diags_, "'when'")) {
          if (auto c = resolve_condition(s, world_, scope, ExprUse::when, diags_)) g.when.push_back(std::move(*c)); else ok = false;
        }
      } else {
        for (const char* key : {"want", "when"})
          for (const SourceText& s : detail::expression_list(get(body, key), file, sm_, diags_, std::string("'") + key + "'"))
            check_syntax(s, diags_);
      }
      const std::size_t pos = world_.goals.size();
      if (auto it = world_.goal_index.find(g.name); it != world_.goal_index.end()) {
        declare(world_.goal_index, g.name, pos, g.loc, world_.goal(it->second).loc, "goal");
        continue;
      }
      if (!ok) continue;
      world_.goal_index.emplace(g.name, model::GoalId::from(pos));
      world_.goals.push_back(std::move(g));
    }
  }

 public:
  bool resolving_ = true;

 private:
  core::SourceManager& sm_;
  core::Diagnostics& diags_;
  World world_;
  Broken broken_;  // declarations that failed: their uses give no second error
  std::vector<Doc> docs_;
  std::unordered_set<std::string> loaded_;
  std::vector<std::string> stack_;
};

}  // namespace

std::optional<model::World> load_world(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags) {
  return WorldLoader(sm, diags).load(path, std::nullopt);
}

std::optional<model::World> load_world_text(const std::string& path, std::string text, core::SourceManager& sm,
                                            core::Diagnostics& diags) {
  return WorldLoader(sm, diags).load(path, std::move(text));
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
  for (const model::StateLine& l : lines) state.set(l.term, l.value, world.fact(l.term.fact));
}

std::optional<model::World> check_file(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags) {
  // Peek at the kind first: a world is loaded fully, anything else only for syntax.
  core::SourceManager peek_sm;
  core::Diagnostics peek_diags;
  auto peek = detail::read_yaml_file(path, path, peek_sm, peek_diags);
  std::string kind;
  if (peek && peek->root.IsMap() && get(peek->root, "kind").IsScalar()) kind = get(peek->root, "kind").Scalar();
  if (kind == "world" || kind.empty() || !peek) return load_world(path, sm, diags);
  auto y = detail::read_yaml_file(path, path, sm, diags);
  if (!y) return std::nullopt;
  WorldLoader loader(sm, diags);
  loader.resolving_ = false;
  auto k = loader.kind_of(*y, {"actions", "goals", "state"});
  if (k) loader.check_alone(*y, *k);
  return std::nullopt;
}

}  // namespace goap::load
