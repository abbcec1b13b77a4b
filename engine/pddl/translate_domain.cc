// The domain half of the translation: requirements, types, constants, predicates, functions and
// actions (their formulas are in translate_formula.cc).
#include <algorithm>

#include "core/names.h"
#include "pddl/translator.h"

namespace goap::pddl::detail {
namespace {

constexpr const char* kSupported = "goap reads :strips, :typing, :negative-preconditions, :equality and :action-costs";

// Requirements goap reads, and those it knows but does not support (with what they are).
bool supported_requirement(const std::string& r) {
  return r == ":strips" || r == ":typing" || r == ":negative-preconditions" || r == ":equality" ||
         r == ":action-costs";
}

const std::vector<std::string>& known_requirements() {
  static const std::vector<std::string> all{
      ":strips", ":typing", ":negative-preconditions", ":equality", ":action-costs",
      ":disjunctive-preconditions", ":existential-preconditions", ":universal-preconditions",
      ":quantified-preconditions", ":conditional-effects", ":adl", ":derived-predicates",
      ":fluents", ":numeric-fluents", ":object-fluents", ":durative-actions", ":duration-inequalities",
      ":continuous-effects", ":timed-initial-literals", ":preferences", ":constraints"};
  return all;
}

}  // namespace

std::string NameMap::add(const std::string& pddl_name) {
  std::string s;
  s.reserve(pddl_name.size() + 1);
  for (char c : pddl_name) s += ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') ? c : '_';
  if (s.empty() || s[0] < 'a' || s[0] > 'z') s.insert(s.begin(), 'x');
  std::string name = s;
  for (int n = 2; taken_.count(name) != 0; ++n) name = s + "-" + std::to_string(n);
  taken_.insert(name);
  return name;
}

std::string Translator::did_you_mean(const std::string& name, const std::vector<std::string>& candidates) const {
  return core::did_you_mean(name, candidates);
}

bool Translator::expect_sections(const Node& top, const char* kind, std::string& name) {
  const std::string k = kind;
  if (!top.is_form("define") || top.items.size() < 2 || !top.items[1].is_list() || top.items[1].items.size() != 2 ||
      !top.items[1].items[0].is_atom() || !top.items[1].items[1].is_atom()) {
    if (top.is_form("define") && top.items.size() >= 2 && top.items[1].is_list()) {
      const std::string_view other = top.items[1].head();
      if ((other == "domain" || other == "problem") && other != k) {
        diags_.error(top.items[1].loc, "expected a " + k + " file here, but this is a " + std::string(other))
            .hint("goap pddl takes the domain first, then the problem");
        return false;
      }
    }
    diags_.error(top.loc, "expected '(define (" + k + " NAME) ...)'");
    return false;
  }
  const Node& header = top.items[1];
  if (header.items[0].text != k) {
    if (header.items[0].text == "domain" || header.items[0].text == "problem")
      diags_.error(header.loc, "expected a " + k + " file here, but this is a " + header.items[0].text)
          .hint("goap pddl takes the domain first, then the problem");
    else
      diags_.error(header.items[0].loc, "expected '(" + k + " NAME)' here");
    return false;
  }
  name = header.items[1].text;
  bool ok = true;
  for (std::size_t i = 2; i < top.items.size(); ++i) {
    const Node& sec = top.items[i];
    if (!sec.is_list() || sec.head().empty() || sec.head()[0] != ':') {
      diags_.error(sec.loc, "expected a section such as '(:" + std::string(k == "domain" ? "action" : "init") + " ...)' here");
      ok = false;
    }
  }
  return ok;
}

bool Translator::read_domain(const Node& d) {
  if (!expect_sections(d, "domain", out_.domain_name)) return false;
  w_.types.push_back(model::Type{"object", {}, d.loc});
  w_.type_index.emplace("object", model::TypeId::from(0));
  types_.emplace("object", model::TypeId::from(0));
  type_names_.add("object");

  // Sections by kind, each kind in file order; read in dependency order.
  std::vector<const Node*> reqs, types, consts, preds, funcs, acts;
  for (std::size_t i = 2; i < d.items.size(); ++i) {
    const Node& sec = d.items[i];
    const std::string_view h = sec.head();
    if (h == ":requirements") reqs.push_back(&sec);
    else if (h == ":types") types.push_back(&sec);
    else if (h == ":constants") consts.push_back(&sec);
    else if (h == ":predicates") preds.push_back(&sec);
    else if (h == ":functions") funcs.push_back(&sec);
    else if (h == ":action") acts.push_back(&sec);
    else if (h == ":derived")
      diags_.error(sec.items[0].loc, "derived predicates (:derived) are not supported").hint(kSupported);
    else if (h == ":durative-action")
      diags_.error(sec.items[0].loc, "durative actions are not supported").hint(kSupported);
    else if (h == ":constraints")
      diags_.error(sec.items[0].loc, "constraints are not supported").hint(kSupported);
    else
      diags_.error(sec.items[0].loc, "unknown domain section '" + std::string(h) + "'")
          .hint("a domain has :requirements, :types, :constants, :predicates, :functions and :action sections");
  }
  for (const Node* s : reqs) read_requirements(*s);
  for (const Node* s : types) read_types(*s);
  for (const Node* s : consts) read_objects(*s, true);
  for (const Node* s : preds) read_predicates(*s);
  for (const Node* s : funcs) read_functions(*s);
  for (const Node* s : acts) read_action(*s);
  return true;
}

void Translator::read_requirements(const Node& sec) {
  for (std::size_t i = 1; i < sec.items.size(); ++i) {
    const Node& r = sec.items[i];
    if (!r.is_atom() || r.text.empty() || r.text[0] != ':') {
      diags_.error(r.loc, "expected a requirement such as ':strips' here");
      continue;
    }
    if (supported_requirement(r.text)) continue;
    const auto& known = known_requirements();
    if (std::find(known.begin(), known.end(), r.text) != known.end()) {
      diags_.error(r.loc, "requirement '" + r.text + "' is not supported").hint(kSupported);
    } else {
      auto& d = diags_.error(r.loc, "unknown requirement '" + r.text + "'");
      const std::string h = did_you_mean(r.text, known);
      if (!h.empty()) d.hint(h);
    }
  }
}

std::vector<Translator::Typed> Translator::typed_list(const Node& list, std::size_t from, bool variables,
                                                      const char* what) {
  std::vector<Typed> out;
  std::size_t pending = 0;  // names since the last `- type`
  for (std::size_t i = from; i < list.items.size(); ++i) {
    const Node& n = list.items[i];
    if (n.is_atom("-")) {
      if (i + 1 >= list.items.size()) {
        diags_.error(n.loc, "expected a type after '-'");
        break;
      }
      if (pending == 0) diags_.error(n.loc, std::string("'-' with no ") + what + " before it");
      const Node* type = &list.items[++i];
      for (std::size_t k = out.size() - pending; k < out.size(); ++k) out[k].type = type;
      pending = 0;
      continue;
    }
    if (!n.is_atom()) {
      diags_.error(n.loc, std::string("expected ") + (variables ? "a variable such as '?x'" : std::string("a name")) + " here");
      continue;
    }
    if (variables && (n.text.size() < 2 || n.text[0] != '?')) {
      diags_.error(n.loc, "expected a variable such as '?x' here, not '" + n.text + "'");
      continue;
    }
    if (!variables && (n.text[0] == '?' || n.text[0] == ':')) {
      diags_.error(n.loc, std::string("expected ") + what + " here, not '" + n.text + "'");
      continue;
    }
    out.push_back(Typed{&n, nullptr});
    ++pending;
  }
  return out;
}

std::optional<model::TypeId> Translator::type_of(const Typed& t) {
  if (t.type == nullptr) return model::TypeId::from(0);
  if (t.type->is_form("either")) {
    diags_.error(t.type->loc, "'either' types are not supported").hint("declare a common supertype instead");
    return std::nullopt;
  }
  if (!t.type->is_atom()) {
    diags_.error(t.type->loc, "expected a type name here");
    return std::nullopt;
  }
  auto it = types_.find(t.type->text);
  if (it == types_.end()) {
    auto& d = diags_.error(t.type->loc, "unknown type '" + t.type->text + "'");
    const std::string h = did_you_mean(t.type->text, keys(types_));
    if (!h.empty()) d.hint(h);
    return std::nullopt;
  }
  return it->second;
}

void Translator::read_types(const Node& sec) {
  const auto list = typed_list(sec, 1, false, "a type");
  // Declare every name first: a parent may be declared after its children.
  std::vector<std::pair<model::TypeId, const Typed*>> declared;
  for (const Typed& t : list) {
    const std::string& name = t.name->text;
    if (name == "object") continue;  // built in; `object - x` is meaningless, ignore as FD does
    auto it = types_.find(name);
    if (it != types_.end()) {
      diags_.error(t.name->loc, "type '" + name + "' is declared twice").note(w_.type(it->second).loc, "first declared here");
      continue;
    }
    const auto id = model::TypeId::from(w_.types.size());
    types_.emplace(name, id);
    const std::string g = type_names_.add(name);
    w_.type_index.emplace(g, id);
    w_.types.push_back(model::Type{g, model::TypeId::from(0), t.name->loc});
    declared.emplace_back(id, &t);
  }
  for (auto& [id, t] : declared) {
    if (t->type == nullptr) continue;
    if (t->type->is_atom() && types_.count(t->type->text) == 0 && t->type->text != "object") {
      // A supertype used but never declared is declared implicitly (as Fast Downward does).
      const auto pid = model::TypeId::from(w_.types.size());
      types_.emplace(t->type->text, pid);
      const std::string g = type_names_.add(t->type->text);
      w_.type_index.emplace(g, pid);
      w_.types.push_back(model::Type{g, model::TypeId::from(0), t->type->loc});
    }
    if (auto parent = type_of(*t)) w_.types[id.index()].parent = *parent;
  }
  // Cycles: a parent chain longer than the number of types never reaches `object`.
  for (auto& [id, t] : declared) {
    model::TypeId cur = id;
    std::size_t steps = 0;
    while (cur.valid() && steps <= w_.types.size()) {
      cur = w_.type(cur).parent;
      ++steps;
      if (cur == id) break;
    }
    if (cur == id) {
      diags_.error(t->name->loc, "type '" + t->name->text + "' is its own supertype (a cycle)");
      w_.types[id.index()].parent = model::TypeId::from(0);
    }
  }
}

void Translator::read_objects(const Node& sec, bool constants) {
  for (const Typed& t : typed_list(sec, 1, false, constants ? "a constant" : "an object")) {
    // An object whose type is unknown is still declared (as an `object`), so its uses do not
    // each report it as undeclared.
    const auto known = type_of(t);
    const model::TypeId type = known.value_or(model::TypeId::from(0));
    const std::string& name = t.name->text;
    auto it = objects_.find(name);
    if (it != objects_.end()) {
      const model::Object& prev = w_.object(it->second);
      if (prev.type == type)
        diags_.warning(t.name->loc, "object '" + name + "' is declared twice").note(prev.loc, "first declared here");
      else
        diags_.error(t.name->loc, "object '" + name + "' is declared twice, with different types")
            .note(prev.loc, "first declared here");
      continue;
    }
    const auto id = model::ObjectId::from(w_.objects.size());
    objects_.emplace(name, id);
    if (!known) untyped_objects_.insert(id);
    const std::string g = object_names_.add(name);
    w_.object_index.emplace(g, id);
    w_.objects.push_back(model::Object{g, type, {}, t.name->loc});
    out_.object_names.push_back(name);
  }
}

void Translator::read_predicates(const Node& sec) {
  for (std::size_t i = 1; i < sec.items.size(); ++i) {
    const Node& p = sec.items[i];
    if (!p.is_list() || p.items.empty() || !p.items[0].is_atom() || p.items[0].text[0] == '?') {
      diags_.error(p.loc, "expected a predicate such as '(on ?x ?y)' here");
      continue;
    }
    const std::string& name = p.items[0].text;
    if (name == "=") {
      diags_.error(p.items[0].loc, "'=' is built in (:equality) and cannot be declared");
      continue;
    }
    if (auto it = preds_.find(name); it != preds_.end()) {
      diags_.error(p.items[0].loc, "predicate '" + name + "' is declared twice")
          .note(w_.fact(it->second).loc, "first declared here");
      continue;
    }
    model::FactDecl f;
    f.loc = p.items[0].loc;
    f.loc.length = static_cast<std::uint32_t>(name.size());
    // A parameter with a bad type still counts (as `object`): its uses are checked for arity
    // without a cascade of "unknown predicate" errors.
    for (const Typed& t : typed_list(p, 1, true, "a variable"))
      f.params.push_back(type_of(t).value_or(model::TypeId::from(0)));
    const auto id = model::FactId::from(w_.facts.size());
    preds_.emplace(name, id);
    f.name = fact_names_.add(name);
    w_.fact_index.emplace(f.name, id);
    w_.facts.push_back(std::move(f));
    fact_pddl_names_.push_back(name);
  }
}

void Translator::read_functions(const Node& sec) {
  for (std::size_t i = 1; i < sec.items.size(); ++i) {
    const Node& f = sec.items[i];
    if (f.is_atom("-")) {
      // `- number` after a function (or a group of them).
      if (i + 1 >= sec.items.size()) {
        diags_.error(f.loc, "expected 'number' after '-'");
      } else if (!sec.items[i + 1].is_atom("number")) {
        diags_.error(sec.items[i + 1].loc, "only numeric functions ('- number') are supported")
            .hint("object fluents are not supported");
      }
      ++i;
      continue;
    }
    if (!f.is_list() || f.items.empty() || !f.items[0].is_atom() || f.items[0].text[0] == '?') {
      diags_.error(f.loc, "expected a function such as '(road-length ?from ?to)' here");
      continue;
    }
    const std::string& name = f.items[0].text;
    if (name == "total-cost") {
      if (f.items.size() != 1) diags_.error(f.loc, "'total-cost' takes no arguments");
      total_cost_declared_ = true;
      continue;
    }
    if (functions_.count(name) != 0 || preds_.count(name) != 0) {
      diags_.error(f.items[0].loc, "'" + name + "' is declared twice");
      continue;
    }
    model::FunctionDecl fd;
    fd.loc = f.items[0].loc;
    for (const Typed& t : typed_list(f, 1, true, "a variable"))
      fd.params.push_back(type_of(t).value_or(model::TypeId::from(0)));
    const auto id = model::FunctionId::from(w_.functions.size());
    functions_.emplace(name, id);
    fd.name = function_names_.add(name);
    w_.function_index.emplace(fd.name, id);
    w_.functions.push_back(std::move(fd));
  }
}

void Translator::read_action(const Node& sec) {
  if (sec.items.size() < 2 || !sec.items[1].is_atom() || sec.items[1].text[0] == ':') {
    diags_.error(sec.loc, "expected '(:action NAME :parameters (...) :precondition ... :effect ...)'");
    return;
  }
  const Node& name_node = sec.items[1];
  const std::string& name = name_node.text;
  model::Action a;
  a.loc = name_node.loc;
  const Node *params = nullptr, *pre = nullptr, *eff = nullptr;
  for (std::size_t i = 2; i < sec.items.size(); i += 2) {
    const Node& key = sec.items[i];
    if (!key.is_atom() || key.text[0] != ':') {
      diags_.error(key.loc, "expected ':parameters', ':precondition' or ':effect' here");
      return;
    }
    if (i + 1 >= sec.items.size()) {
      diags_.error(key.loc, "'" + key.text + "' has no value");
      return;
    }
    const Node* value = &sec.items[i + 1];
    const Node** slot = key.text == ":parameters"     ? &params
                        : key.text == ":precondition" ? &pre
                        : key.text == ":effect"       ? &eff
                                                      : nullptr;
    if (slot == nullptr) {
      diags_.error(key.loc, "unknown action key '" + key.text + "'")
          .hint("an action has ':parameters', ':precondition' and ':effect'");
      return;
    }
    if (*slot != nullptr) {
      diags_.error(key.loc, "'" + key.text + "' is given twice");
      return;
    }
    *slot = value;
  }
  Scope scope;
  scope.params = &a.params;
  if (params != nullptr) {
    if (!params->is_list()) {
      diags_.error(params->loc, "expected a list of parameters such as '(?x - block)'");
      return;
    }
    NameMap param_names;
    // A parameter with an unknown type stays declared (as `object`), so the rest of the action is
    // still checked; the errors already recorded keep the task from being returned.
    for (const Typed& t : typed_list(*params, 0, true, "a variable")) {
      const model::TypeId type = type_of(t).value_or(model::TypeId::from(0));
      if (scope.vars.count(t.name->text) != 0) {
        diags_.error(t.name->loc, "parameter '" + t.name->text + "' is declared twice");
        continue;
      }
      scope.vars.emplace(t.name->text, static_cast<std::uint32_t>(a.params.size()));
      a.params.push_back(model::Param{param_names.add(t.name->text.substr(1)), type, t.name->loc});
    }
  }
  if (pre != nullptr) read_condition(*pre, scope, a.pre, a.relations, false);
  EffectLists effects;
  if (eff != nullptr) read_effect(*eff, scope, effects);
  // Deletes before adds: with World::add_after_delete, an add of the same atom wins.
  a.eff = std::move(effects.deletes);
  a.eff.insert(a.eff.end(), effects.adds.begin(), effects.adds.end());
  a.cost = static_cast<int>(effects.cost);
  a.cost_terms = std::move(effects.cost_terms);

  if (auto it = actions_.find(name); it != actions_.end()) {
    diags_.error(name_node.loc, "action '" + name + "' is declared twice").note(w_.action(it->second).loc, "first declared here");
    return;
  }
  const auto id = model::ActionId::from(w_.actions.size());
  actions_.emplace(name, id);
  a.name = action_names_.add(name);
  w_.action_index.emplace(a.name, id);
  w_.actions.push_back(std::move(a));
  out_.action_names.push_back(name);
}

}  // namespace goap::pddl::detail
