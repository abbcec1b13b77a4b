// The grounder (lifted reachability, ground relaxed reachability, constant folding) against a
// brute-force definition on real PDDL tasks: every type-correct binding is built, the relaxed
// exploration runs on plain maps, and an operator is expected exactly when its binding fires and
// it changes a fact that can take two values. Shares nothing with grounder.cc but the model.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "ground/grounder.h"
#include "pddl/reader.h"
#include "test_support.h"

namespace goap {
namespace {

using model::ObjectId;
using Atom = std::pair<model::GroundTerm, int>;  // a fact and a value

struct AtomLess {
  bool operator()(const model::GroundTerm& a, const model::GroundTerm& b) const {
    return a.fact != b.fact ? a.fact < b.fact : a.args < b.args;
  }
};

struct AtomValueLess {
  bool operator()(const Atom& x, const Atom& y) const {
    return AtomLess{}(x.first, y.first) || (!AtomLess{}(y.first, x.first) && x.second < y.second);
  }
};

struct BruteOp {
  std::uint32_t action;
  std::vector<ObjectId> args;
  std::vector<Atom> pre, eff;
  long long cost;
};

// (action, args) -> cost, for the operators a correct grounder must keep.
std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, long long> brute_force(const model::World& w) {
  const model::State s = w.initial_state();
  std::vector<BruteOp> ops;
  for (std::uint32_t ai = 0; ai < w.actions.size(); ++ai) {
    const model::Action& a = w.actions[ai];
    std::vector<ObjectId> b(a.params.size());
    auto visit = [&](auto&& self, std::size_t k) -> void {
      if (k == b.size()) {
        for (const model::ArgRelation& r : a.relations)
          if (!r.holds(b)) return;
        const auto cost = w.action_cost(a, b);
        if (!cost) return;
        BruteOp op{ai, b, {}, {}, *cost};
        for (const model::Condition& c : a.pre) op.pre.emplace_back(model::bind_term(c.term, b), c.value);
        std::map<model::GroundTerm, int, AtomLess> eff;
        for (const model::Effect& e : a.eff) {  // deletes come first: an add of the same atom wins
          eff[model::bind_term(e.term, b)] = e.value;
        }
        for (auto& [t, v] : eff) op.eff.emplace_back(t, v);
        ops.push_back(std::move(op));
        return;
      }
      for (ObjectId o : w.objects_of(a.params[k].type)) {
        b[k] = o;
        self(self, k + 1);
      }
    };
    visit(visit, 0);
  }
  // Relaxed exploration over (fact, value) atoms, from every atom's initial value.
  std::set<Atom, AtomValueLess> reached;
  auto initial = [&](const model::GroundTerm& t) { return s.value(t, w.fact(t.fact)); };
  for (const BruteOp& op : ops) {
    for (const Atom& p : op.pre) reached.insert({p.first, initial(p.first)});
    for (const Atom& e : op.eff) reached.insert({e.first, initial(e.first)});
  }
  std::vector<char> fired(ops.size(), 0);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (fired[i]) continue;
      bool ok = true;
      for (const Atom& p : ops[i].pre) ok = ok && reached.count(p) != 0;
      if (!ok) continue;
      fired[i] = 1;
      changed = true;
      for (const Atom& e : ops[i].eff) reached.insert(e);
    }
  }
  auto values = [&](const model::GroundTerm& t) {
    return reached.count({t, 0}) + reached.count({t, 1});
  };
  std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, long long> kept;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!fired[i]) continue;
    bool changes = false;
    for (const Atom& e : ops[i].eff) {
      bool noop = false;
      for (const Atom& p : ops[i].pre) noop = noop || (p.first == e.first && p.second == e.second);
      changes = changes || (!noop && values(e.first) > 1);
    }
    if (!changes) continue;
    std::vector<std::uint32_t> args;
    for (ObjectId o : ops[i].args) args.push_back(o.value());
    kept[{ops[i].action, args}] = ops[i].cost;
  }
  return kept;
}

void cross_check(const std::string& dir, const std::string& problem) {
  CAPTURE(dir);
  core::SourceManager sm;
  core::Diagnostics diags;
  auto t = pddl::load_pddl_text(dir + "/domain.pddl", testing::read_file("instances/" + dir + "/domain.pddl"), problem,
                                testing::read_file("instances/" + dir + "/" + problem), sm, diags);
  REQUIRE(t);
  const model::World& w = t->world;
  ground::GroundingError err;
  auto d = ground::ground_domain(w, w.initial_state(), &err);
  REQUIRE(d);
  std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, long long> got;
  for (const ground::Operator& op : d->task.operators) {
    CHECK(got.count({op.action, op.args}) == 0);  // bool facts: one operator per binding
    got[{op.action, op.args}] = op.cost;
  }
  const auto want = brute_force(w);
  CHECK(got.size() == want.size());
  CHECK(got == want);
  CHECK(d->task.validate().empty());
}

TEST_CASE("grounding: lifted reachability keeps exactly the operators brute force keeps") {
  cross_check("gripper", "prob01.pddl");
  cross_check("blocks", "probBLOCKS-4-0.pddl");
  cross_check("satellite", "p01-pfile1.pddl");
  cross_check("elevators", "p01.pddl");
  cross_check("courier", "problem.pddl");
  cross_check("add-wins", "problem.pddl");
}

}  // namespace
}  // namespace goap
