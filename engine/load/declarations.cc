// The world's vocabulary: types (with subtypes), objects (with attributes) and facts.
#include <algorithm>
#include <charconv>

#include "core/names.h"
#include "load/world_loader.h"

namespace goap::load::detail {

void WorldLoader::read_name(const YAML::Node& root, std::uint32_t file, const fs::path& p) {
  const YAML::Node n = get(root, "name");
  world_.loc = SourceLoc{file, 1, 1, 1};
  if (!n.IsDefined()) {
    world_.name = p.stem().string();
    return;
  }
  if (check_name(n, file, "world")) world_.name = n.Scalar();
}

void WorldLoader::read_types(const YAML::Node& n, std::uint32_t file) {
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

std::optional<model::TypeId> WorldLoader::find_type(const std::string& name, SourceLoc at) {
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

void WorldLoader::read_objects(const YAML::Node& n, std::uint32_t file) {
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

bool WorldLoader::parse_fact_key(const SourceText& key, model::FactDecl& decl) {
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

bool WorldLoader::parse_fact_type(const SourceText& v, model::FactDecl& decl) {
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

void WorldLoader::read_facts(const YAML::Node& n, std::uint32_t file) {
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
      entries.back().key.rejoin(piece);
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

}  // namespace goap::load::detail
