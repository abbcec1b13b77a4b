// libFuzzer target for engine/pddl and the grounding of what it produces: arbitrary bytes as a
// PDDL domain and problem, split at the first line that starts with ";;;;" (a PDDL comment, so a
// domain and a problem pasted one after the other with such a line between them still read as
// written). Without the separator the whole input is the domain and the problem is empty.
//
// Checks besides crashes and sanitizer reports: a task comes back exactly when no error was
// reported, every diagnostic points into a file the SourceManager knows and renders, a task's
// name lists have one entry per action and object, and a task small enough to ground grounds
// into tasks that keep task.h's invariants (Task::validate): the domain, each goal's task, and
// that task with its mutex groups merged.
//
// "Small enough": grounding has no limits of its own yet (TODO(#20): use the grounder's time and
// memory bounds once it has them), so a task is grounded only when its actions' bindings,
// counted as the product of their parameters' type sizes and summed, stay under kMaxBindings,
// and so does each goal's. The fuzzer looks for crashes, not for slow grounding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/diag.h"
#include "ground/grounder.h"
#include "ground/mutex_groups.h"
#include "fuzz_support.h"
#include "pddl/reader.h"

namespace {

using namespace goap;

constexpr std::uint64_t kMaxBindings = 20000;

using fuzz::check;

// The product of the sizes of the parameters' types, saturating at kMaxBindings + 1.
std::uint64_t bindings(const model::World& w, const std::vector<model::Param>& params) {
  std::uint64_t n = 1;
  for (const model::Param& p : params) {
    n *= w.objects_of(p.type).size();
    if (n > kMaxBindings) return kMaxBindings + 1;
  }
  return n;
}

bool small_enough(const model::World& w) {
  std::uint64_t total = 0;
  for (const model::Action& a : w.actions) {
    total += bindings(w, a.params);
    if (total > kMaxBindings) return false;
  }
  for (const model::Goal& g : w.goals)
    if (bindings(w, g.forall) > kMaxBindings) return false;
  return true;
}

// task.h's invariants (Task::validate): atoms name existing variables and values in their domains,
// sorted by variable, at most one per variable.
void check_task(const ground::Task& task) {
  const std::string broken = task.validate();
  if (!broken.empty()) fuzz::fail("fuzz_pddl", "a ground task: " + broken);
}

void ground_and_check(const pddl::PddlTask& t) {
  const model::World& w = t.world;
  check(t.action_names.size() == w.actions.size(), "action_names not one per action");
  check(t.object_names.size() == w.objects.size(), "object_names not one per object");
  if (!small_enough(w)) return;
  const model::State initial = w.initial_state();
  ground::GroundingError err;
  auto domain = ground::ground_domain(w, initial, &err);
  if (!domain) {
    check(!err.message.empty(), "a grounding error without a message");
    return;
  }
  check_task(domain->task);
  check(domain->var_terms.size() == domain->task.variables.size(), "var_terms not one per variable");
  for (std::size_t g = 0; g < w.goals.size(); ++g) {
    const ground::GoalInstance gi = ground::instantiate_goal(w, model::GoalId::from(g), initial, true);
    ground::GoalTask gt = ground::make_goal_task(w, *domain, gi);
    check(gt.domain_var.size() == gt.task.variables.size(), "domain_var not one per goal-task variable");
    if (gt.statically_unsolvable) continue;
    ground::VariableFacts facts(gt.task.variables.size());
    for (std::size_t v = 0; v < facts.size(); ++v) {
      check(gt.domain_var[v] < domain->var_terms.size(), "a goal-task variable without a domain variable");
      const model::GroundTerm& term = domain->var_terms[gt.domain_var[v]];
      if (w.facts[term.fact.index()].kind == model::ValueKind::boolean) facts[v] = term;
    }
    const auto groups = ground::find_mutex_groups(gt.task, facts);
    ground::MutexGroupStats stats;
    check_task(gt.task);
    check_task(ground::merge_mutex_groups(gt.task, groups, &stats));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string domain(text), problem;
  for (std::size_t at = 0; at < text.size();) {
    if (text.substr(at, 4) == ";;;;") {
      domain = std::string(text.substr(0, at));
      problem = std::string(text.substr(at));
      break;
    }
    const std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  core::SourceManager sm;
  core::Diagnostics diags;
  auto task = pddl::load_pddl_text("domain.pddl", std::move(domain), "problem.pddl", std::move(problem), sm, diags);
  check(task.has_value() != diags.has_errors(), "load_pddl_text: a task iff no error");
  fuzz::check_diagnostics(diags, sm);
  if (task) ground_and_check(*task);
  return 0;
}
