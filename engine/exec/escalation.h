// Escalation: telling a person when a relevant goal is stuck, instead of working around it.
//
// `escalate: ACTION` at the top of a world names an action (without parameters) that `goap run`
// carries out, through its plugin like any step, when a relevant goal is stuck:
//   no_plan   the goal has no plan (unsolvable, a limit, or only plans that break a protected
//             goal: exec/goal_planner.h)
//   budget    an action the goal needs has used up its budget (called by the budget code)
//   approval  an approval the goal needs has waited past its limit (called by the approvals code)
//   given_up  an action failed twice and is left out for the rest of the run
// Its `with:` may use ${goap.goal}, ${goap.reason}, ${goap.cause} and ${goap.run}
// (exec/binding.h). The escalation is journaled as a step of kind `escalation`; when it fails
// the failure is logged and journaled, never escalated again, and never stops the run.
//
// Once per cause per window: a (world, goal, cause) that escalated less than `escalate_every`
// ago (default 1 h) does not escalate again; different causes, goals and worlds are separate,
// and when the window has passed it escalates again. The time of the last escalation is kept
// in the journal (escalations table), so the window spans runs: a timer running `goap run`
// every few minutes escalates once an hour, not every tick. Without a journal it is kept for the
// run only. All time comes from the run's Clock (exec/seams.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>

#include "exec/journal.h"
#include "exec/run_report.h"
#include "exec/seams.h"
#include "model/world.h"
#include "plugin_host/plugin_host.h"

namespace goap::exec {

enum class EscalationCause { no_plan, budget, approval, given_up };
// "no-plan", "budget", "approval", "given-up": what ${goap.cause} and the journal say.
const char* to_string(EscalationCause c);

// The window policy alone (unit-tested with FakeClock).
class EscalationWindow {
 public:
  // `journal` may be null: then escalations are remembered for this object's lifetime only.
  EscalationWindow(Journal* journal, const Clock& clock, std::chrono::milliseconds window)
      : journal_(journal), clock_(clock), window_(window) {}
  // True when (world, goal, cause) has not escalated within the window before now.
  [[nodiscard]] bool due(const std::string& world, const std::string& goal, EscalationCause cause);
  // Remembers that it escalated now.
  void record(const std::string& world, const std::string& goal, EscalationCause cause);

 private:
  Journal* journal_;
  const Clock& clock_;
  std::chrono::milliseconds window_;
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> memory_;  // without a journal
};

// What an escalation did.
enum class Escalated { no_action, not_due, done, failed };

// Carries out the world's escalation action for a stuck goal when due. The runner calls
// escalate() for no_plan and given_up; the budget and approval code call it for their causes.
class Escalator {
 public:
  Escalator(const model::World& world, const plugin_host::PluginSet& plugins, Fleet& fleet, const Clock& clock,
            Journal* journal, std::int64_t run_id, std::chrono::milliseconds grace, std::chrono::milliseconds fallback,
            RunReport& report);
  // `seq`: the run's step counter; an escalation that runs takes the next number.
  Escalated escalate(const std::string& goal, EscalationCause cause, const std::string& reason, int& seq);

 private:
  const model::World& world_;
  const plugin_host::PluginSet& plugins_;
  Fleet& fleet_;
  Journal* journal_;
  std::int64_t run_id_;
  std::chrono::milliseconds grace_, fallback_;
  RunReport& report_;
  EscalationWindow window_;
};

}  // namespace goap::exec
