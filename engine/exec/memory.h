// Memory across runs: action budgets and facts observed over time, both read from the journal.
//
// Budgets. `budget: {max: N, per: D}` on an action allows at most N executions of each ground
// action in any window of D. Every step the journal holds for that ground action of that world
// counts once, whatever its status (started, done, failed, effects-missing, interrupted) and
// whichever run took it (retries inside one step are one step). A step started at s counts at
// time t while t < s + D: at exactly s + D it has left the window. A ground action is exhausted
// while it has N or more counted steps; it frees up when enough of them have left the window
// (`until`). The runner leaves exhausted ground actions out of planning (PlannerOptions::without).
//
// Durations. `c for D` (model::Condition::held_for) holds iff c holds in the state and the
// journal's readings show c held continuously for at least D up to now: the fact's latest reading
// is from this run's sensing and satisfies c, and going back from it over readings that all
// satisfy c (no contradicting reading in between) reaches one at or before now - D. A fact never
// sensed, or not sensed for that long, or whose sensor failed in this run, has no evidence.
// Readings are stored as stretches of one value (journal.h), which keeps exactly what this
// definition needs: a stretch is a run of equal readings from first_seen to last_seen.
//
// Everything here takes `now` from the caller (the run's Clock, exec/seams.h), so the window
// arithmetic is unit-tested with FakeClock in memory_test.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "exec/journal.h"
#include "exec/seams.h"
#include "exec/sensing.h"
#include "model/held.h"
#include "model/world.h"

namespace goap::exec {

// ---- budgets -------------------------------------------------------------------------------

struct BudgetUse {
  std::string ground;          // "restart-ollama(hermes-vps)"
  std::string action;          // "restart-ollama"
  int used = 0, max = 0;
  std::chrono::milliseconds per{0};
  Clock::time_point oldest;    // the oldest counted step's start
  Clock::time_point frees_at;  // exhausted: when `used` drops below `max`; else oldest + per
  [[nodiscard]] bool exhausted() const { return used >= max; }
};

// The counting itself: `starts` are the starts of one ground action's steps (any order).
// nullopt-like: used == 0 when none is in the window.
BudgetUse count_window(std::vector<Clock::time_point> starts, int max, std::chrono::milliseconds per,
                       Clock::time_point now);

// Every ground action of the world (canonical path) with a budget that has steps in its window,
// sorted by name. Budgets come from `world`.
std::vector<BudgetUse> budget_uses(const model::World& world, Journal& journal, const std::string& world_path,
                                   Clock::time_point now);
// Only the exhausted ones: what escalation needs ("budget exhausted", and until when).
std::vector<BudgetUse> exhausted_budgets(const model::World& world, Journal& journal, const std::string& world_path,
                                         Clock::time_point now);
// The same from the budgets the journal recorded (goap history, without the world), every world.
struct WorldBudgetUse {
  std::string world_path;
  BudgetUse use;
};
std::vector<WorldBudgetUse> recorded_budget_uses(Journal& journal, Clock::time_point now);

// What a run writes so that history can show budgets without the world.
void save_world_budgets(const model::World& world, Journal& journal, const std::string& world_path);

// "restart-ollama(hermes-vps): budget 3 per 1h used up until 16:42:10Z"
// (the date too when `until` is a day or more after `now`).
std::string exhausted_text(const BudgetUse& u, Clock::time_point now);

// ---- durations -----------------------------------------------------------------------------

// One stretch of equal readings, as evidence sees it.
struct Stretch {
  std::string value;  // the value's name, as the journal keeps it
  Clock::time_point first, last;
  bool this_run = false;
};

// Whether readings `newest_first` (one fact) show a condition held for `d` up to `now`;
// `satisfies(value)` says whether a value satisfies it.
bool held_for(const std::vector<Stretch>& newest_first, const std::function<bool(const std::string&)>& satisfies,
              std::chrono::milliseconds d, Clock::time_point now);

// The longest `for` any condition of the world asks (0 when none).
std::chrono::milliseconds longest_for(const model::World& world);

// Records a run's successful readings (journal.h: stretches); keeps what the world's longest
// `for` can still need, plus a day.
void remember_readings(const model::World& world, Journal& journal, const std::string& world_path, std::int64_t run,
                       const std::vector<Reading>& readings);

// The evidence for every ground `for` condition of the world (actions' `pre`, goals' `when`).
// With run == 0 (a dry run, which records nothing), `current` stands in for this run's readings.
model::HeldFacts gather_evidence(const model::World& world, Journal* journal, const std::string& world_path,
                                 std::int64_t run, const std::vector<Reading>& current, Clock::time_point now);

}  // namespace goap::exec
