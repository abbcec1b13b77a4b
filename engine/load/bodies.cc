// Actions and goals: parameters, conditions, effects, costs, `run:` and its templates.
#include <algorithm>
#include <charconv>

#include "core/names.h"
#include "load/world_loader.h"

namespace goap::load::detail {

std::vector<model::Param> WorldLoader::read_params(const YAML::Node& n, std::uint32_t file, const std::string& key, bool& ok) {
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

void WorldLoader::check_templates(const YAML::Node& v, std::uint32_t file, const model::Action& a) {
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
    if (pname == "goap" && std::none_of(a.params.begin(), a.params.end(), [](const model::Param& p) { return p.name == "goap"; })) {
      // ${goap.goal}, ${goap.reason}, ${goap.cause}, ${goap.run}: filled in only when the
      // action is run as the world's escalation (exec/escalation.h).
      const auto at = st.at(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(close - i + 1));
      const std::string name = inner.find('.') == std::string::npos ? "" : inner.substr(inner.find('.') + 1);
      static const std::vector<std::string> known{"goal", "reason", "cause", "run"};
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        auto& d = diags_.error(at, "unknown template '${" + inner + "}' in action '" + a.name + "'");
        d.hint(name.empty() || core::did_you_mean(name, known).empty()
                   ? "the escalation templates are ${goap.goal}, ${goap.reason}, ${goap.cause} and ${goap.run}"
                   : core::did_you_mean(name, known));
      } else if (world_.escalate != a.name) {
        diags_.error(at, "'${" + inner + "}' is only filled in for the world's escalation action, and action '" + a.name +
                             "' is not it")
            .hint(world_.escalate.empty() ? "name it at the top of the world: 'escalate: " + a.name + "'"
                                          : "the world escalates with '" + world_.escalate + "'");
      }
      i = close;
      continue;
    }
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

std::optional<model::RunSpec> WorldLoader::read_run(const YAML::Node& n, std::uint32_t file, const model::Action& a) {
  const SourceLoc at = loc_of(n, file, sm_);
  if (!n.IsMap()) {
    diags_.error(at, "'run' must be a mapping with 'plugin:' and 'with:'").hint("write e.g. 'run: {plugin: command, with: {argv: [true]}}'");
    return std::nullopt;
  }
  check_keys(n, file, names_of({"plugin", "kind", "with"}), "'run'");
  model::RunSpec r;
  r.loc = at;
  const YAML::Node p = get(n, "plugin");
  if (!p.IsDefined()) {
    diags_.error(at, "'run' needs a 'plugin:'");
    return std::nullopt;
  }
  if (!check_name(p, file, "plugin")) return std::nullopt;
  r.plugin = p.Scalar();
  if (const YAML::Node k = get(n, "kind"); k.IsDefined()) {
    if (!check_name(k, file, "kind")) return std::nullopt;
    r.kind = k.Scalar();
  }
  // A wrong parameter is reported and left out; the rest of the action still loads.
  const auto check = [&](const YAML::Node& v) {
    check_templates(v, file, a);
    return true;
  };
  if (!detail::read_with(get(n, "with"), file, sm_, diags_, true, check, r.with).is_map) return std::nullopt;
  return r;
}

std::optional<model::ActionBudget> WorldLoader::read_budget(const YAML::Node& n, std::uint32_t file, const model::Action& a) {
  const SourceLoc at = loc_of(n, file, sm_);
  if (!n.IsMap()) {
    diags_.error(at, std::string("'budget' must be a mapping with 'max:' and 'per:', not ") + node_kind_name(n))
        .hint("write e.g. 'budget: {max: 3, per: 1h}'");
    return std::nullopt;
  }
  check_keys(n, file, names_of({"max", "per"}), "'budget'");
  model::ActionBudget b;
  b.loc = at;
  bool ok = true;
  const YAML::Node max = get(n, "max"), per = get(n, "per");
  if (!max.IsDefined() || !per.IsDefined()) {
    diags_.error(at, std::string("the budget of action '") + a.name + "' needs " +
                         (!max.IsDefined() && !per.IsDefined() ? "'max:' and 'per:'" : !max.IsDefined() ? "'max:'" : "'per:'"))
        .hint("write e.g. 'budget: {max: 3, per: 1h}': at most 3 runs of each ground action in any hour");
    return std::nullopt;
  }
  if (auto m = read_int(max, file, "'max' of the budget of action '" + a.name + "'", 1, 1000000)) b.max = static_cast<int>(*m);
  else ok = false;
  const std::string text = per.IsScalar() ? per.Scalar() : "";
  if (auto d = parse_positive_duration(text)) {
    b.per = *d;
  } else {
    diags_.error(loc_of(per, file, sm_, at), "'per' of the budget of action '" + a.name + "' must be a duration" +
                                                 (per.IsScalar() ? ", not '" + text + "'" : std::string(", not ") + node_kind_name(per)))
        .hint("write a positive number with a unit: 30s, 10m, 1h or 1d");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return b;
}

void WorldLoader::read_actions(const YAML::Node& n, std::uint32_t file) {
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
    check_keys(body, file, names_of({"params", "pre", "eff", "cost", "run", "approval", "budget", "doc"}), "action '" + a.name + "'");
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
    if (get(body, "budget").IsDefined()) {
      if (auto b = read_budget(get(body, "budget"), file, a)) a.budget = *b; else ok = false;
    }
    if (const YAML::Node eff = get(body, "eff"); !eff.IsDefined() && a.name == world_.escalate) {
      // The world's escalation action is run, never planned (exec/escalation.h): it may change nothing.
    } else if (!eff.IsDefined()) {
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

void WorldLoader::read_goals(const YAML::Node& n, std::uint32_t file) {
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
    check_keys(body, file, names_of({"priority", "forall", "when", "want", "protect", "doc"}), "goal '" + g.name + "'");
    bool ok = true;
    if (get(body, "doc").IsScalar()) g.doc = get(body, "doc").Scalar();
    if (get(body, "priority").IsDefined()) {
      if (auto p = read_int(get(body, "priority"), file, "'priority'", -1000000, 1000000)) g.priority = static_cast<int>(*p); else ok = false;
    }
    if (get(body, "protect").IsDefined()) {
      if (auto b = read_bool(get(body, "protect"), file, "'protect'")) g.protect = *b; else ok = false;
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

}  // namespace goap::load::detail
