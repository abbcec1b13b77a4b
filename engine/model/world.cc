#include "model/world.h"

#include <cassert>

namespace goap::model {

const std::string* Object::attribute(std::string_view key) const {
  for (const auto& [k, v] : attributes)
    if (k == key) return &v;
  return nullptr;
}

std::uint32_t FactDecl::domain_size() const {
  switch (kind) {
    case ValueKind::boolean: return 2;
    case ValueKind::enumeration: return static_cast<std::uint32_t>(enum_values.size());
    case ValueKind::integer: return static_cast<std::uint32_t>(hi - lo + 1);
  }
  return 2;
}

std::string FactDecl::value_name(int index) const {
  switch (kind) {
    case ValueKind::boolean: return index != 0 ? "true" : "false";
    case ValueKind::enumeration:
      return index >= 0 && static_cast<std::size_t>(index) < enum_values.size() ? enum_values[index] : "?";
    case ValueKind::integer: return std::to_string(index + lo);
  }
  return "?";
}

bool Condition::holds(int index) const {
  switch (op) {
    case Cmp::eq: return index == value;
    case Cmp::ne: return index != value;
    case Cmp::lt: return index < value;
    case Cmp::le: return index <= value;
    case Cmp::gt: return index > value;
    case Cmp::ge: return index >= value;
  }
  return false;
}

std::size_t GroundTermHash::operator()(const GroundTerm& t) const noexcept {
  std::size_t h = t.fact.value() * 0x9e3779b97f4a7c15ull;
  for (ObjectId o : t.args) h = (h ^ o.value()) * 0x100000001b3ull + (h >> 29);
  return h;
}

int State::value(const GroundTerm& t, const FactDecl& decl) const {
  auto it = cells_.find(t);
  return it == cells_.end() ? decl.default_index : it->second;
}

void State::set(const GroundTerm& t, int index, const FactDecl& decl) {
  if (!held_.empty()) held_.erase(t);
  if (index == decl.default_index)
    cells_.erase(t);
  else
    cells_[t] = index;
}

bool World::is_subtype(TypeId sub, TypeId super) const {
  for (TypeId t = sub; t.valid(); t = types[t.index()].parent)
    if (t == super) return true;
  return false;
}

std::vector<ObjectId> World::objects_of(TypeId t) const {
  std::vector<ObjectId> out;
  for (std::size_t i = 0; i < objects.size(); ++i)
    if (is_subtype(objects[i].type, t)) out.push_back(ObjectId::from(i));
  return out;
}

State World::initial_state() const {
  State s;
  for (const StateLine& l : state_lines) s.set(l.term, l.value, fact(l.term.fact));
  return s;
}

GroundTerm bind_term(const Term& t, const std::vector<ObjectId>& binding) {
  GroundTerm g{t.fact, {}};
  g.args.reserve(t.args.size());
  for (const Arg& a : t.args) {
    if (a.kind == Arg::Kind::object) {
      g.args.push_back(ObjectId(a.index));
    } else {
      assert(a.index < binding.size());
      g.args.push_back(binding[a.index]);
    }
  }
  return g;
}

namespace {
ObjectId bound(const Arg& a, const std::vector<ObjectId>& binding) {
  if (a.kind == Arg::Kind::object) return ObjectId(a.index);
  assert(a.index < binding.size());
  return binding[a.index];
}
}  // namespace

bool ArgRelation::holds(const std::vector<ObjectId>& binding) const {
  return (bound(lhs, binding) == bound(rhs, binding)) == equal;
}

std::optional<long long> World::action_cost(const Action& a, const std::vector<ObjectId>& binding) const {
  long long cost = a.cost;
  std::vector<ObjectId> key;
  for (const CostTerm& t : a.cost_terms) {
    key.clear();
    for (const Arg& arg : t.args) key.push_back(bound(arg, binding));
    const FunctionDecl& f = function(t.function);
    auto it = f.values.find(key);
    if (it == f.values.end()) return std::nullopt;
    cost += it->second;
  }
  return cost;
}

const char* cmp_text(Cmp op) {
  switch (op) {
    case Cmp::eq: return "=";
    case Cmp::ne: return "!=";
    case Cmp::lt: return "<";
    case Cmp::le: return "<=";
    case Cmp::gt: return ">";
    case Cmp::ge: return ">=";
  }
  return "?";
}

std::string World::term_name(const GroundTerm& t) const {
  std::string s = fact(t.fact).name;
  if (!t.args.empty()) {
    s += '(';
    for (std::size_t i = 0; i < t.args.size(); ++i) {
      if (i > 0) s += ", ";
      s += object(t.args[i]).name;
    }
    s += ')';
  }
  return s;
}

std::string World::term_text(const Term& t, const std::vector<Param>& params) const {
  std::string s = fact(t.fact).name;
  if (!t.args.empty()) {
    s += '(';
    for (std::size_t i = 0; i < t.args.size(); ++i) {
      if (i > 0) s += ", ";
      const Arg& a = t.args[i];
      if (a.kind == Arg::Kind::object)
        s += objects[a.index].name;
      else
        s += '$' + (a.index < params.size() ? params[a.index].name : std::to_string(a.index));
    }
    s += ')';
  }
  return s;
}

namespace {
std::string operand_text(const FactDecl& d, int index) {
  // Comparison operands may lie outside the domain; show the integer the author wrote.
  if (d.kind == ValueKind::integer) return std::to_string(index + d.lo);
  return d.value_name(index);
}
}  // namespace

std::string World::condition_text(const Condition& c, const std::vector<Param>& params) const {
  const FactDecl& d = fact(c.term.fact);
  const std::string t = term_text(c.term, params);
  const std::string held = c.held_for.count() > 0 ? " for " + duration_text(c.held_for) : "";
  if (d.kind == ValueKind::boolean && (c.op == Cmp::eq || c.op == Cmp::ne)) {
    const bool positive = (c.op == Cmp::eq) == (c.value != 0);
    return (positive ? t : "not " + t) + held;
  }
  return t + ' ' + cmp_text(c.op) + ' ' + operand_text(d, c.value) + held;
}

std::string duration_text(std::chrono::milliseconds d) {
  const long long ms = d.count();
  static constexpr std::pair<long long, const char*> units[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
  for (const auto& [size, name] : units)
    if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + name;
  return std::to_string(ms) + "ms";
}

std::string World::effect_text(const Effect& e, const std::vector<Param>& params) const {
  const FactDecl& d = fact(e.term.fact);
  const std::string t = term_text(e.term, params);
  if (e.op == EffOp::add) return t + (e.value >= 0 ? " += " : " -= ") + std::to_string(e.value >= 0 ? e.value : -e.value);
  if (d.kind == ValueKind::boolean) return e.value != 0 ? t : "not " + t;
  return t + " = " + d.value_name(e.value);
}

std::string World::state_line_text(const GroundTerm& t, int value) const {
  const FactDecl& d = fact(t.fact);
  if (d.kind == ValueKind::boolean) return value != 0 ? term_name(t) : "not " + term_name(t);
  return term_name(t) + " = " + d.value_name(value);
}

}  // namespace goap::model
