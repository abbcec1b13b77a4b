#include "ground/symmetries.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace goap::ground {

namespace {

constexpr std::uint32_t kNo = std::numeric_limits<std::uint32_t>::max();

struct OpKey {
  std::uint32_t action;
  std::vector<std::uint32_t> args;
  friend bool operator==(const OpKey&, const OpKey&) = default;
};

struct OpKeyHash {
  std::size_t operator()(const OpKey& k) const noexcept {
    std::size_t h = k.action * 0x9e3779b97f4a7c15ull;
    for (std::uint32_t a : k.args) h = (h ^ a) * 0x100000001b3ull + (h >> 29);
    return h;
  }
};

// Checks one swap at a time against indexes built once: which variable and value each fact is,
// which operator each (action, arguments) is, and what mentions each object.
class Finder {
 public:
  Finder(const Task& task, const std::vector<VarFacts>& facts, std::size_t num_objects)
      : task_(task), facts_(facts), vars_of_object_(num_objects), ops_of_object_(num_objects),
        ops_of_var_(task.variables.size()), goal_of_(task.variables.size(), kNo),
        image_(task.variables.size(), kNo), map_begin_(task.variables.size(), 0),
        var_stamp_(task.variables.size(), 0), op_stamp_(task.operators.size(), 0) {
    usable_ = facts.size() == task.variables.size();
    for (std::uint32_t v = 0; usable_ && v < facts.size(); ++v) {
      const VarFacts& f = facts[v];
      if (f.facts.empty() || (!f.group && f.facts.size() != 1) || (f.group && task.variables[v].domain < f.facts.size())) {
        usable_ = false;
        break;
      }
      for (std::uint32_t i = 0; i < f.facts.size(); ++i) {
        if (!term_at_.emplace(f.facts[i], std::pair{v, i}).second) usable_ = false;  // a fact in two places
        for (model::ObjectId o : f.facts[i].args) {
          if (o.index() >= num_objects) {
            usable_ = false;
            continue;
          }
          auto& list = vars_of_object_[o.index()];
          if (list.empty() || list.back() != v) list.push_back(v);
        }
      }
    }
    for (std::uint32_t o = 0; usable_ && o < task.operators.size(); ++o) {
      const Operator& op = task.operators[o];
      if (!op_of_.emplace(OpKey{op.action, op.args}, o).second) usable_ = false;  // split bindings
      for (std::uint32_t a : op.args) {
        if (a >= num_objects) {
          usable_ = false;
          break;
        }
        auto& list = ops_of_object_[a];
        if (list.empty() || list.back() != o) list.push_back(o);
      }
      for (const auto* atoms : {&op.pre, &op.eff})
        for (const VarVal& x : *atoms) {
          auto& list = ops_of_var_[x.var];
          if (list.empty() || list.back() != o) list.push_back(o);
        }
    }
    for (std::uint32_t i = 0; i < task.goal.size(); ++i) goal_of_[task.goal[i].var] = i;
  }

  [[nodiscard]] bool usable() const { return usable_; }
  [[nodiscard]] const std::vector<std::uint32_t>& ops_of_object(std::uint32_t o) const { return ops_of_object_[o]; }

  // The swap of a and b as a generator, when it is an automorphism of the task.
  std::optional<SymmetryGenerator> check(std::uint32_t a, std::uint32_t b) {
    a_ = a;
    b_ = b;
    ++stamp_;
    moved_.clear();
    maps_.clear();
    for (std::uint32_t x : {a, b})
      for (std::uint32_t v : vars_of_object_[x])
        if (var_stamp_[v] != stamp_) {
          var_stamp_[v] = stamp_;
          moved_.push_back(v);
        }
    for (std::uint32_t v : moved_)
      if (!map_variable(v)) return std::nullopt;
    // The images are consistent: the image of the image is the variable itself.
    for (std::uint32_t v : moved_)
      if (var_stamp_[image_[v]] != stamp_ || image_[image_[v]] != v) return std::nullopt;
    for (std::uint32_t v : moved_) {
      if (task_.initial[image_[v]] != value_image(v, task_.initial[v])) return std::nullopt;
      if (!goal_maps(v)) return std::nullopt;
    }
    // Operators: those with a or b as an argument, and those touching a moved variable; every
    // other one maps onto itself, unchanged.
    ops_.clear();
    auto visit = [&](std::uint32_t o) {
      if (op_stamp_[o] == stamp_) return true;
      op_stamp_[o] = stamp_;
      return map_operator(o);
    };
    for (std::uint32_t x : {a, b})
      for (std::uint32_t o : ops_of_object_[x])
        if (!visit(o)) return std::nullopt;
    for (std::uint32_t v : moved_)
      for (std::uint32_t o : ops_of_var_[v])
        if (!visit(o)) return std::nullopt;
    return build();
  }

 private:
  [[nodiscard]] model::GroundTerm renamed(const model::GroundTerm& t) const {
    model::GroundTerm r = t;
    for (model::ObjectId& o : r.args)
      if (o.index() == a_) o = model::ObjectId::from(b_);
      else if (o.index() == b_) o = model::ObjectId::from(a_);
    return r;
  }

  [[nodiscard]] std::uint32_t value_image(std::uint32_t v, std::uint32_t x) const {
    const std::uint32_t n = static_cast<std::uint32_t>(facts_[v].facts.size());
    // A group's `none` (and a plain variable's every value) stays as it is.
    return facts_[v].group && x < n ? maps_[map_begin_[v] + x] : x;
  }

  bool map_variable(std::uint32_t v) {
    const VarFacts& f = facts_[v];
    map_begin_[v] = static_cast<std::uint32_t>(maps_.size());
    std::uint32_t image = kNo;
    for (const model::GroundTerm& t : f.facts) {
      const auto it = term_at_.find(renamed(t));
      if (it == term_at_.end()) return false;  // the renamed fact is not a variable (a constant)
      const auto [w, i] = it->second;
      if (image != kNo && w != image) return false;  // a group spread over several variables
      image = w;
      maps_.push_back(i);
    }
    const VarFacts& g = facts_[image];
    if (g.group != f.group || g.facts.size() != f.facts.size() ||
        task_.variables[image].domain != task_.variables[v].domain)
      return false;
    image_[v] = image;
    return true;
  }

  bool goal_maps(std::uint32_t v) {
    const std::uint32_t w = image_[v];
    if ((goal_of_[v] == kNo) != (goal_of_[w] == kNo)) return false;
    if (goal_of_[v] == kNo) return true;
    scratch_.clear();
    for (std::uint32_t x : task_.goal[goal_of_[v]].values) scratch_.push_back(value_image(v, x));
    std::sort(scratch_.begin(), scratch_.end());
    return scratch_ == task_.goal[goal_of_[w]].values;
  }

  [[nodiscard]] VarVal atom_image(const VarVal& x) const {
    return var_stamp_[x.var] == stamp_ ? VarVal{image_[x.var], value_image(x.var, x.value)} : x;
  }

  bool same_atoms(const std::vector<VarVal>& from, const std::vector<VarVal>& to) {
    if (from.size() != to.size()) return false;
    atoms_.clear();
    for (const VarVal& x : from) atoms_.push_back(atom_image(x));
    std::sort(atoms_.begin(), atoms_.end(), [](const VarVal& l, const VarVal& r) { return l.var < r.var; });
    return atoms_ == to;
  }

  bool map_operator(std::uint32_t o) {
    const Operator& op = task_.operators[o];
    key_.action = op.action;
    key_.args = op.args;
    for (std::uint32_t& x : key_.args)
      if (x == a_) x = b_;
      else if (x == b_) x = a_;
    const auto it = op_of_.find(key_);
    if (it == op_of_.end()) return false;
    const Operator& image = task_.operators[it->second];
    if (image.cost != op.cost || !same_atoms(op.pre, image.pre) || !same_atoms(op.eff, image.eff)) return false;
    if (it->second != o) ops_.emplace_back(o, it->second);
    return true;
  }

  SymmetryGenerator build() {
    SymmetryGenerator g;
    g.a = std::min(a_, b_);
    g.b = std::max(a_, b_);
    for (std::uint32_t v : moved_) {
      bool identity = image_[v] == v;
      for (std::uint32_t x = 0; identity && x < task_.variables[v].domain; ++x) identity = value_image(v, x) == x;
      if (!identity) g.support.push_back(v);
    }
    std::sort(g.support.begin(), g.support.end());
    for (std::uint32_t v : g.support) {
      // The image is in the support too: the swap is an involution.
      g.partner.push_back(static_cast<std::uint32_t>(
          std::lower_bound(g.support.begin(), g.support.end(), image_[v]) - g.support.begin()));
      g.value_begin.push_back(static_cast<std::uint32_t>(g.values.size()));
      for (std::uint32_t x = 0; x < task_.variables[v].domain; ++x) g.values.push_back(value_image(v, x));
    }
    std::sort(ops_.begin(), ops_.end());
    g.ops = ops_;
    return g;
  }

  const Task& task_;
  const std::vector<VarFacts>& facts_;
  bool usable_ = true;
  std::unordered_map<model::GroundTerm, std::pair<std::uint32_t, std::uint32_t>, model::GroundTermHash> term_at_;
  std::unordered_map<OpKey, std::uint32_t, OpKeyHash> op_of_;
  std::vector<std::vector<std::uint32_t>> vars_of_object_, ops_of_object_, ops_of_var_;
  std::vector<std::uint32_t> goal_of_;
  // Per check.
  std::uint32_t a_ = 0, b_ = 0, stamp_ = 0;
  std::vector<std::uint32_t> image_, map_begin_, var_stamp_, op_stamp_, moved_, maps_, scratch_;
  std::vector<VarVal> atoms_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ops_;
  OpKey key_;
};

}  // namespace

std::vector<VarFacts> merged_variable_facts(const std::vector<model::GroundTerm>& before, const MergeOrigin& origin) {
  std::vector<VarFacts> out(origin.from.size());
  for (std::size_t v = 0; v < out.size(); ++v) {
    out[v].group = origin.merged[v] != 0;
    for (std::uint32_t old : origin.from[v]) out[v].facts.push_back(before[old]);
  }
  return out;
}

ObjectSymmetries::ObjectSymmetries(std::vector<SymmetryGenerator> generators,
                                   std::vector<std::vector<std::uint32_t>> classes)
    : generators_(std::move(generators)), classes_(std::move(classes)) {}

bool ObjectSymmetries::makes_smaller(const SymmetryGenerator& g, const std::uint32_t* state) const {
  // The image's value on support[j] comes from its partner's variable.
  for (std::size_t j = 0; j < g.support.size(); ++j) {
    const std::uint32_t p = g.partner[j];
    const std::uint32_t image = g.values[g.value_begin[p] + state[g.support[p]]];
    const std::uint32_t now = state[g.support[j]];
    if (image != now) return image < now;
  }
  return false;
}

void ObjectSymmetries::apply(std::uint32_t gi, std::uint32_t* state) const {
  const SymmetryGenerator& g = generators_[gi];
  for (std::size_t j = 0; j < g.support.size(); ++j) {
    const std::uint32_t p = g.partner[j];
    if (p < j) continue;  // done with its partner
    const std::uint32_t vj = g.support[j], vp = g.support[p];
    const std::uint32_t xj = state[vj], xp = state[vp];
    state[vj] = g.values[g.value_begin[p] + xp];
    if (p != j) state[vp] = g.values[g.value_begin[j] + xj];
  }
}

void ObjectSymmetries::canonicalize(std::uint32_t* state, std::vector<std::uint32_t>* applied) const {
  for (bool changed = true; changed;) {
    changed = false;
    for (std::uint32_t g = 0; g < generators_.size(); ++g) {
      if (!makes_smaller(generators_[g], state)) continue;
      apply(g, state);
      if (applied != nullptr) applied->push_back(g);
      changed = true;
    }
  }
}

OpId ObjectSymmetries::map_op(std::uint32_t g, OpId op) const {
  const auto& ops = generators_[g].ops;
  const auto it = std::lower_bound(ops.begin(), ops.end(), std::pair{op.value(), std::uint32_t{0}});
  return it != ops.end() && it->first == op.value() ? OpId::from(it->second) : op;
}

namespace {

ObjectSymmetries find_symmetries(const Task& task, const std::vector<VarFacts>& facts, std::size_t num_objects,
                                 SymmetryStats* stats, std::size_t max_checks, Budget& budget) {
  budget.check_time();  // a stage starts only with time left
  const auto start = std::chrono::steady_clock::now();
  SymmetryStats local;
  SymmetryStats& st = stats != nullptr ? *stats : local;
  st = SymmetryStats{};
  auto done = [&](ObjectSymmetries s) {
    st.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return s;
  };
  Finder finder(task, facts, num_objects);
  if (!finder.usable()) return done({});

  // Candidates: objects with the same number of appearances at each argument position of each
  // action. Objects in no operator's arguments are left alone.
  std::vector<std::uint32_t> arity;  // per action
  for (const Operator& op : task.operators) {
    if (op.action >= arity.size()) arity.resize(op.action + 1, 0);
    arity[op.action] = std::max(arity[op.action], static_cast<std::uint32_t>(op.args.size()));
  }
  std::uint32_t slots = 0;
  std::vector<std::uint32_t> slot_begin;
  for (std::uint32_t n : arity) {
    slot_begin.push_back(slots);
    slots += n;
  }
  std::map<std::vector<std::uint32_t>, std::vector<std::uint32_t>> by_signature;
  std::vector<std::uint32_t> count(slots);
  for (std::uint32_t x = 0; x < num_objects; ++x) {
    budget.tick(1 + finder.ops_of_object(x).size());
    if (finder.ops_of_object(x).empty()) continue;
    std::fill(count.begin(), count.end(), 0);
    for (std::uint32_t o : finder.ops_of_object(x)) {
      const Operator& op = task.operators[o];
      for (std::size_t i = 0; i < op.args.size(); ++i)
        if (op.args[i] == x) ++count[slot_begin[op.action] + i];
    }
    by_signature[count].push_back(x);
  }

  // Classes: each candidate joins the first class of its signature whose first member it swaps
  // with, or starts a class.
  std::vector<std::vector<std::uint32_t>> classes;
  for (const auto& [signature, objects] : by_signature) {
    if (objects.size() < 2) continue;
    const std::size_t first = classes.size();
    for (std::uint32_t x : objects) {
      bool joined = false;
      for (std::size_t c = first; c < classes.size() && !joined && st.checked < max_checks; ++c) {
        ++st.checked;
        budget.tick(1 + finder.ops_of_object(x).size());  // a check maps the object's operators
        if (finder.check(classes[c].front(), x)) {
          classes[c].push_back(x);
          joined = true;
        }
      }
      if (!joined) classes.push_back({x});
    }
  }
  std::erase_if(classes, [](const auto& c) { return c.size() < 2; });
  std::sort(classes.begin(), classes.end());

  // Generators: neighbours in each class. Each is a symmetry (a product of checked ones); the
  // check runs again because the generator is built from it, and a failure would be a bug here.
  std::vector<SymmetryGenerator> generators;
  for (const auto& c : classes) {
    st.objects += c.size();
    for (std::size_t i = 0; i + 1 < c.size(); ++i) {
      auto g = finder.check(c[i], c[i + 1]);
      if (!g) throw std::logic_error("symmetries: a product of symmetries failed the check");
      generators.push_back(std::move(*g));
    }
  }
  st.classes = classes.size();
  st.generators = generators.size();
  return done(ObjectSymmetries(std::move(generators), std::move(classes)));
}

}  // namespace

ObjectSymmetries find_object_symmetries(const Task& task, const std::vector<VarFacts>& facts, std::size_t num_objects,
                                        SymmetryStats* stats, std::size_t max_checks, Budget* budget) {
  Budget unlimited;
  Budget& bud = budget ? *budget : unlimited;
  const auto message = [&](GroundingLimitKind kind) {
    return "finding object symmetries among " + count_text(static_cast<double>(num_objects)) + " objects and " +
           count_text(static_cast<double>(task.operators.size())) + " ground actions stopped at " + bud.limit_text(kind);
  };
  try {
    return find_symmetries(task, facts, num_objects, stats, max_checks, bud);
  } catch (LimitExceeded& e) {
    if (e.message.empty()) e.message = message(e.kind);
    throw;
  } catch (const std::bad_alloc&) {
    throw LimitExceeded{GroundingLimitKind::allocation, message(GroundingLimitKind::allocation)};
  }
}

}  // namespace goap::ground
