#include "load/resolve.h"

#include <charconv>
#include <limits>
#include <variant>

#include "core/names.h"
#include "plugin_api/plugin.h"  // parse_duration: one duration syntax for `timeout:`, `for` and `per:`

namespace goap::load {
namespace {

using model::Arg;
using model::FactDecl;
using model::ValueKind;
using model::World;

std::vector<std::string> keys_of(const auto& index) {
  std::vector<std::string> out;
  out.reserve(index.size());
  for (const auto& [k, v] : index) out.push_back(k);
  return out;
}

std::string signature(const World& w, const FactDecl& d) {
  std::string s = d.name;
  if (!d.params.empty()) {
    s += '(';
    for (std::size_t i = 0; i < d.params.size(); ++i) s += (i ? ", " : "") + w.type(d.params[i]).name;
    s += ')';
  }
  switch (d.kind) {
    case ValueKind::boolean: return s + ": bool";
    case ValueKind::integer: return s + ": int[" + std::to_string(d.lo) + ".." + std::to_string(d.hi) + "]";
    case ValueKind::enumeration: {
      s += ": enum[";
      for (std::size_t i = 0; i < d.enum_values.size(); ++i) s += (i ? ", " : "") + d.enum_values[i];
      return s + "]";
    }
  }
  return s;
}

// "a host", "an agent": type names read as nouns in messages.
std::string a_type(const World& w, model::TypeId t) {
  const std::string& n = w.type(t).name;
  const bool vowel = !n.empty() && std::string_view("aeiou").find(n[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + n;
}

// How a fact is written in an example: "up", "reachable(...)".
std::string written(const FactDecl& d) { return d.params.empty() ? d.name : d.name + "(...)"; }

std::string allowed_values(const FactDecl& d) {
  if (d.kind == ValueKind::integer) return "from " + std::to_string(d.lo) + " to " + std::to_string(d.hi);
  std::string s;
  for (std::size_t i = 0; i < d.enum_values.size(); ++i) {
    if (i > 0) s += (i + 1 == d.enum_values.size()) ? " or " : ", ";
    s += d.enum_values[i];
  }
  return "one of " + s;
}

std::optional<Expr> parse(const SourceText& src, core::Diagnostics& diags) {
  auto r = parse_expr(src.text);
  if (auto* err = std::get_if<ExprError>(&r)) {
    auto& d = diags.error(src.at(err->span.offset, err->span.length), err->message);
    if (!err->hint.empty()) d.hint(err->hint);
    return std::nullopt;
  }
  return std::get<Expr>(std::move(r));
}

struct ResolvedTerm {
  model::Term term;
  const FactDecl* decl = nullptr;
};

std::optional<ResolvedTerm> resolve_term(const Expr& e, const SourceText& src, const World& w, const Scope& scope,
                                         core::Diagnostics& diags) {
  auto fit = w.fact_index.find(e.fact);
  if (fit == w.fact_index.end() && scope.broken != nullptr && scope.broken->facts.contains(e.fact)) return std::nullopt;
  if (fit == w.fact_index.end()) {
    auto& d = diags.error(src.at(e.fact_span.offset, e.fact_span.length), "unknown fact '" + e.fact + "'");
    if (auto h = core::did_you_mean(e.fact, keys_of(w.fact_index)); !h.empty()) d.hint(h);
    return std::nullopt;
  }
  const FactDecl& decl = w.fact(fit->second);
  ResolvedTerm rt{{fit->second, {}}, &decl};
  if (e.args.size() != decl.params.size()) {
    const auto at = e.has_parens ? src.at(e.fact_span.offset, e.fact_span.length) : src.at(e.fact_span.offset, e.fact_span.length);
    auto& d = diags.error(at, "'" + decl.name + "' takes " + std::to_string(decl.params.size()) +
                                  (decl.params.size() == 1 ? " argument" : " arguments") + ", not " +
                                  std::to_string(e.args.size()));
    d.note(decl.loc, "declared here as '" + signature(w, decl) + "'");
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const ExprArg& a = e.args[i];
    const model::TypeId want = decl.params[i];
    const auto at = src.at(a.span.offset, a.span.length);
    if (a.is_param) {
      if (scope.params == nullptr) {
        diags.error(at, "'$" + a.name + "' is a parameter, but parameters only exist inside an action or a forall goal")
            .hint("name an object here");
        ok = false;
        continue;
      }
      const auto& ps = *scope.params;
      std::size_t k = 0;
      while (k < ps.size() && ps[k].name != a.name) ++k;
      if (k == ps.size()) {
        std::vector<std::string> names;
        for (const auto& p : ps) names.push_back("$" + p.name);
        auto& d = diags.error(at, std::string("unknown parameter '$") + a.name + "' in " + scope.owner);
        if (auto h = core::did_you_mean("$" + a.name, names); !h.empty())
          d.hint(h);
        else if (names.empty())
          d.hint("declare it, e.g. 'params: {" + a.name + ": " + w.type(want).name + "}'");
        else
          d.hint("declared parameters: " + [&] {
            std::string s;
            for (std::size_t j = 0; j < names.size(); ++j) s += (j ? ", " : "") + names[j];
            return s;
          }());
        ok = false;
        continue;
      }
      if (!ps[k].type.valid()) {  // its type was unknown, and that was reported
        ok = false;
        continue;
      }
      if (!w.is_subtype(ps[k].type, want)) {
        auto& d = diags.error(at, "'$" + a.name + "' is " + a_type(w, ps[k].type) + ", but argument " +
                                      std::to_string(i + 1) + " of '" + decl.name + "' must be " + a_type(w, want));
        d.note(decl.loc, "declared here as '" + signature(w, decl) + "'");
        ok = false;
        continue;
      }
      rt.term.args.push_back(Arg{Arg::Kind::param, static_cast<std::uint32_t>(k)});
    } else {
      auto oit = w.object_index.find(a.name);
      if (oit == w.object_index.end() && scope.broken != nullptr && scope.broken->objects.contains(a.name)) {
        ok = false;
        continue;
      }
      if (oit == w.object_index.end()) {
        auto& d = diags.error(at, "unknown object '" + a.name + "'");
        if (auto h = core::did_you_mean(a.name, keys_of(w.object_index)); !h.empty())
          d.hint(h);
        else if (scope.params != nullptr)
          d.hint("a parameter is written with '$', e.g. '$" + a.name + "'");
        ok = false;
        continue;
      }
      const model::Object& obj = w.object(oit->second);
      if (!w.is_subtype(obj.type, want)) {
        auto& d = diags.error(at, "'" + a.name + "' is " + a_type(w, obj.type) + ", but argument " +
                                      std::to_string(i + 1) + " of '" + decl.name + "' must be " + a_type(w, want));
        d.note(decl.loc, "declared here as '" + signature(w, decl) + "'");
        ok = false;
        continue;
      }
      rt.term.args.push_back(Arg{Arg::Kind::object, oit->second.value()});
    }
  }
  if (!ok) return std::nullopt;
  return rt;
}

// The operand as a domain index. Integers outside the range are allowed for < <= > >= (`n < 10`).
std::optional<int> resolve_operand(const Expr& e, const SourceText& src, const World& w, const FactDecl& decl,
                                   bool must_be_in_domain,
                                   core::Diagnostics& diags) {
  const auto at = src.at(e.operand_span.offset, e.operand_span.length);
  if (decl.kind == ValueKind::boolean) {
    if (e.operand == "true") return 1;
    if (e.operand == "false") return 0;
    diags.error(at, "'" + decl.name + "' is a bool; its value is true or false, not '" + e.operand + "'")
        .hint("write '" + written(decl) + "' or 'not " + written(decl) + "'");
    return std::nullopt;
  }
  if (decl.kind == ValueKind::enumeration) {
    for (std::size_t i = 0; i < decl.enum_values.size(); ++i)
      if (decl.enum_values[i] == e.operand) return static_cast<int>(i);
    auto& d = diags.error(at, "'" + e.operand + "' is not a value of '" + decl.name + "'");
    d.hint("allowed values: " + allowed_values(decl));
    // A suggestion that names (nearly) every value says nothing the list above did not.
    if (core::closest_names(e.operand, decl.enum_values).size() < std::min<std::size_t>(3, decl.enum_values.size()))
      if (auto h = core::did_you_mean(e.operand, decl.enum_values); !h.empty()) d.hint(h);
    d.note(decl.loc, "declared here as '" + signature(w, decl) + "'");
    return std::nullopt;
  }
  long long v = 0;
  const char* b = e.operand.data();
  auto [p, ec] = std::from_chars(b, b + e.operand.size(), v);
  if (ec == std::errc::result_out_of_range && p == b + e.operand.size()) {
    // All digits, just huge: outside any range, and clamped below for comparisons.
    v = e.operand[0] == '-' ? std::numeric_limits<long long>::min() : std::numeric_limits<long long>::max();
    ec = std::errc();
  }
  if (ec != std::errc() || p != b + e.operand.size()) {
    diags.error(at, "'" + decl.name + "' is an int; '" + e.operand + "' is not a number")
        .hint("allowed values: " + allowed_values(decl));
    return std::nullopt;
  }
  if (must_be_in_domain && (v < decl.lo || v > decl.hi)) {
    diags.error(at, e.operand + " is outside the range of '" + decl.name + "'")
        .hint("allowed values: " + allowed_values(decl))
        .note(decl.loc, "declared here as '" + signature(w, decl) + "'");
    return std::nullopt;
  }
  // Keep far-out comparison operands from overflowing the index arithmetic.
  if (v < -1000000000LL) v = -1000000000LL;
  if (v > 1000000000LL) v = 1000000000LL;
  return static_cast<int>(v - decl.lo);
}

// A positive duration ("10m"); nullopt when it is not one.
std::optional<std::chrono::milliseconds> parse_duration_value(const std::string& text) {
  auto d = plugin::parse_duration(text);
  if (!d || d->count() <= 0) return std::nullopt;
  return d;
}

// The `for D` of a condition or state line, or nullopt with a located error.
std::optional<std::chrono::milliseconds> held_duration(const Expr& e, const SourceText& src, core::Diagnostics& diags) {
  auto d = parse_duration_value(e.duration);
  if (!d)
    diags.error(src.at(e.duration_span.offset, e.duration_span.length), "'" + e.duration + "' is not a duration")
        .hint("write a positive number with a unit: 30s, 10m, 1h or 1d");
  return d;
}

const char* use_name(ExprUse u) {
  switch (u) {
    case ExprUse::precondition: return "a precondition";
    case ExprUse::want: return "a wanted condition";
    case ExprUse::when: return "a 'when' condition";
    case ExprUse::effect: return "an effect";
    case ExprUse::state: return "a state line";
  }
  return "";
}

// Checks shared by conditions, effects and state lines: `not` only on bare bool facts,
// non-bools need an operator, `+=`/`-=` only on ints in effects, comparisons only in conditions.
bool check_shape(const Expr& e, const SourceText& src, const FactDecl& decl, ExprUse use, core::Diagnostics& diags) {
  const bool is_condition = use == ExprUse::precondition || use == ExprUse::want || use == ExprUse::when;
  if (e.negated && e.op != ExprOp::none) {
    diags.error(src.at(e.not_span.offset, 3), "'not' cannot be combined with '" + std::string(op_text(e.op)) + "'")
        .hint(decl.kind == ValueKind::boolean ? "write 'not " + written(decl) + "' alone"
                                              : "use '!=' to compare, e.g. '" + written(decl) + " != " + decl.value_name(0) + "'");
    return false;
  }
  if (e.negated && decl.kind != ValueKind::boolean) {
    diags.error(src.at(e.not_span.offset, 3), "'not' applies to bool facts, and '" + decl.name + "' is " +
                                                  (decl.kind == ValueKind::integer ? "an int" : "an enum"))
        .hint("compare it instead, e.g. '" + written(decl) + " != " + decl.value_name(0) + "'");
    return false;
  }
  if (e.op == ExprOp::none && decl.kind != ValueKind::boolean) {
    const char* verb = is_condition ? "needs a comparison" : "needs a value";
    diags.error(src.at(e.fact_span.offset, e.fact_span.length),
                "'" + decl.name + "' is " + (decl.kind == ValueKind::integer ? "an int" : "an enum") + " and " + verb)
        .hint(std::string("write e.g. '") + written(decl) + " = " +
              decl.value_name(0) + "'; allowed values: " + allowed_values(decl));
    return false;
  }
  if (!e.duration.empty() && use != ExprUse::precondition && use != ExprUse::when && use != ExprUse::state) {
    diags.error(src.at(e.for_span.offset, e.for_span.length),
                std::string("'for' asks how long a condition has held, and only belongs in a precondition or a 'when', not in ") +
                    use_name(use))
        .hint(use == ExprUse::want ? "a plan cannot make time pass: put the duration in the goal's 'when:'"
                                   : "remove 'for " + e.duration + "'");
    return false;
  }
  const auto op_at = src.at(e.op_span.offset, e.op_span.length);
  const bool is_cmp = e.op == ExprOp::ne || e.op == ExprOp::lt || e.op == ExprOp::le || e.op == ExprOp::gt || e.op == ExprOp::ge;
  const bool is_change = e.op == ExprOp::add || e.op == ExprOp::sub;
  if (is_change && use != ExprUse::effect) {
    diags.error(op_at, std::string("'") + op_text(e.op) + "' changes a value and only belongs in an effect, not in " +
                           use_name(use))
        .hint(use == ExprUse::state ? "write '" + written(decl) + " = " + decl.value_name(0) + "'" : "compare with '=', '<', '<=', '>' or '>='");
    return false;
  }
  if (is_cmp && !is_condition) {
    diags.error(op_at, std::string("'") + op_text(e.op) + "' compares and only belongs in a condition, not in " +
                           use_name(use))
        .hint("set a value with '='" + std::string(use == ExprUse::effect && decl.kind == ValueKind::integer
                                                        ? ", or change it with '+=' / '-='"
                                                        : ""));
    return false;
  }
  if ((is_change || e.op == ExprOp::lt || e.op == ExprOp::le || e.op == ExprOp::gt || e.op == ExprOp::ge) &&
      decl.kind != ValueKind::integer) {
    diags.error(op_at, std::string("'") + op_text(e.op) + "' needs an int, and '" + decl.name + "' is " +
                           (decl.kind == ValueKind::boolean ? "a bool" : "an enum"))
        .hint(decl.kind == ValueKind::boolean ? "write '" + written(decl) + "' or 'not " + written(decl) + "'"
                                            : "use '=' or '!='");
    return false;
  }
  return true;
}

}  // namespace

std::optional<model::Condition> resolve_condition(const SourceText& src, const World& w, const Scope& scope,
                                                  ExprUse use, core::Diagnostics& diags) {
  auto e = parse(src, diags);
  if (!e) return std::nullopt;
  auto rt = resolve_term(*e, src, w, scope, diags);
  if (!rt) return std::nullopt;
  const FactDecl& decl = *rt->decl;
  if (!check_shape(*e, src, decl, use, diags)) return std::nullopt;
  model::Condition c;
  c.term = std::move(rt->term);
  c.loc = src.whole();
  if (!e->duration.empty()) {
    auto d = held_duration(*e, src, diags);
    if (!d) return std::nullopt;
    c.held_for = *d;
  }
  if (e->op == ExprOp::none) {
    c.op = model::Cmp::eq;
    c.value = e->negated ? 0 : 1;
    return c;
  }
  const bool equality = e->op == ExprOp::eq || e->op == ExprOp::ne;
  auto v = resolve_operand(*e, src, w, decl, equality, diags);
  if (!v) return std::nullopt;
  c.value = *v;
  switch (e->op) {
    case ExprOp::eq: c.op = model::Cmp::eq; break;
    case ExprOp::ne: c.op = model::Cmp::ne; break;
    case ExprOp::lt: c.op = model::Cmp::lt; break;
    case ExprOp::le: c.op = model::Cmp::le; break;
    case ExprOp::gt: c.op = model::Cmp::gt; break;
    case ExprOp::ge: c.op = model::Cmp::ge; break;
    default: break;
  }
  return c;
}

std::optional<model::Effect> resolve_effect(const SourceText& src, const World& w, const Scope& scope,
                                            core::Diagnostics& diags) {
  auto e = parse(src, diags);
  if (!e) return std::nullopt;
  auto rt = resolve_term(*e, src, w, scope, diags);
  if (!rt) return std::nullopt;
  const FactDecl& decl = *rt->decl;
  if (!check_shape(*e, src, decl, ExprUse::effect, diags)) return std::nullopt;
  model::Effect eff;
  eff.term = std::move(rt->term);
  eff.loc = src.whole();
  if (e->op == ExprOp::none) {
    eff.value = e->negated ? 0 : 1;
    return eff;
  }
  if (e->op == ExprOp::add || e->op == ExprOp::sub) {
    long long n = 0;
    const auto [p, ec] = std::from_chars(e->operand.data(), e->operand.data() + e->operand.size(), n);
    if (ec != std::errc() || p != e->operand.data() + e->operand.size() || n < 0) {
      diags.error(src.at(e->operand_span.offset, e->operand_span.length),
                  std::string("'") + op_text(e->op) + "' needs a non-negative whole number, not '" + e->operand + "'");
      return std::nullopt;
    }
    const long long span = static_cast<long long>(decl.hi) - decl.lo;
    if (n > span) {
      diags.error(src.at(e->operand_span.offset, e->operand_span.length),
                  std::string("'") + op_text(e->op) + " " + e->operand + "' can never fit the range of '" + decl.name +
                      "' (" + std::to_string(decl.lo) + ".." + std::to_string(decl.hi) + ")");
      return std::nullopt;
    }
    eff.op = model::EffOp::add;
    eff.value = static_cast<int>(e->op == ExprOp::add ? n : -n);
    return eff;
  }
  auto v = resolve_operand(*e, src, w, decl, true, diags);
  if (!v) return std::nullopt;
  eff.value = *v;
  return eff;
}

std::optional<model::StateLine> resolve_state_line(const SourceText& src, const World& w, core::Diagnostics& diags,
                                                   const Broken* broken) {
  auto e = parse(src, diags);
  if (!e) return std::nullopt;
  const Scope none{nullptr, "", broken};
  auto rt = resolve_term(*e, src, w, none, diags);
  if (!rt) return std::nullopt;
  const FactDecl& decl = *rt->decl;
  if (!check_shape(*e, src, decl, ExprUse::state, diags)) return std::nullopt;
  model::StateLine line;
  line.term = model::bind_term(rt->term, {});
  line.loc = src.whole();
  if (!e->duration.empty()) {
    auto d = held_duration(*e, src, diags);
    if (!d) return std::nullopt;
    line.held_for = *d;
  }
  if (e->op == ExprOp::none) {
    line.value = e->negated ? 0 : 1;
    return line;
  }
  auto v = resolve_operand(*e, src, w, decl, true, diags);
  if (!v) return std::nullopt;
  line.value = *v;
  return line;
}

bool check_syntax(const SourceText& src, core::Diagnostics& diags) { return parse(src, diags).has_value(); }

std::optional<std::chrono::milliseconds> parse_positive_duration(const std::string& text) {
  return parse_duration_value(text);
}

}  // namespace goap::load
