// `goap run`: sense -> choose a goal -> plan -> act -> re-sense -> verify -> continue or replan.
//
// One step: plan from what goap believes (sensed facts over the world's or the journal's
// state), take the first action of the chosen plan, carry it out through its plugin in a child
// process (retrying with exponential backoff when the plugin reports a failure, crashes or
// hangs), sense again, and check that the action's effects really hold for every fact a sensor
// reads (facts without a sensor are taken on the plugin's word). Then plan again from there.
//
// An action whose step fails twice in a run (its plugin keeps failing, or its effects do not
// appear) is left out of planning for the rest of the run (PlannerOptions::without). An action
// with `approval: true` needs approval for the whole plan it is in (exec/approvals.h): unless
// pre-approved by name (`approve`) or by a valid approval in the journal's inbox, no step of that
// plan runs; a request is filed, the goal is set aside (PlannerOptions::skip_goals) and the run
// works on the other goals. Only when nothing else can be done does it stop
// (RunStatus::needs_approval, RunResult::waiting). A declined step is planned around.
// A dry run senses, plans and asks each plugin what it would run (GOAP_OP_DESCRIBE), and
// executes nothing.
//
// The journal (journal.h) gets every run and step before goap acts on it; --resume continues
// the latest unfinished run of the world: its belief, its completed steps and its exclusions.
// Before that it kills what an interrupted step left running (the step's journaled session);
// with no unfinished run it does nothing at all (RunStatus::nothing_to_resume). One run of a
// world at a time is the caller's lock (exec/run_lock.h), held around this call.
//
// `stop` (SIGTERM/SIGINT in the CLI) is asked between steps: the step in flight finishes and is
// journaled, then the run ends `stopped` (an unfinished run: --resume continues it).
//
// A fact whose sensor fails is unknown until a sensor reads it again (exec/sensing.h): no
// action that reads it is chosen, no goal that reads it counts as met. When that leaves no
// relevant goal with a plan, the run ends with RunStatus::facts_unknown, listing each unknown
// fact with its sensor's error.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "exec/goal_planner.h"
#include "exec/journal.h"
#include "exec/run_report.h"
#include "exec/seams.h"
#include "exec/sensing.h"
#include "load/sensor_loader.h"
#include "model/world.h"
#include "plugin_host/plugin_host.h"

namespace goap::exec {

struct RunOptions {
  bool dry_run = false;
  bool resume = false;
  std::vector<std::string> approve;             // action names or ground actions
  int max_steps = 20;                           // actions carried out by this invocation
  int retries = 2;                              // extra attempts when a plugin fails
  std::chrono::milliseconds backoff{500};       // before the first retry; doubles each time
  std::chrono::milliseconds grace{2000};        // added to an action's `timeout` for the hard limit
  std::chrono::milliseconds fallback{600'000};  // hard limit for an action without a `timeout`
  int failures_to_exclude = 2;
  // A service an action starts may take a moment to answer: effects that do not show at once are
  // sensed again every `verify_interval` until `verify_window` has passed.
  std::chrono::milliseconds verify_window{3000};
  std::chrono::milliseconds verify_interval{200};
  PlannerOptions planner;
  SenseOptions sense;
  std::string world_path;                       // canonical: how the journal finds a world's runs
  std::chrono::milliseconds approval_ttl{3'600'000};  // how long a filed approval request waits
  // A request still pending after this long escalates (exec/escalation.h, cause `approval`).
  std::chrono::milliseconds approval_escalate_after{900'000};
  // The seams (exec/seams.h); nullptr: the wall clock, and sensing and acting through `plugins`.
  Clock* clock = nullptr;
  Fleet* fleet = nullptr;
  std::function<bool()> stop;                   // asked between steps; empty: never
};

// nothing_to_resume: --resume found no unfinished run of the world and did nothing.
// stopped: `stop` said so between steps.
// facts_unknown: nothing can be done because sensors failed to read facts a relevant goal needs.
enum class RunStatus { done, no_plan, needs_approval, step_limit, dry_run, nothing_to_resume, stopped, facts_unknown };

struct RunResult {
  RunStatus status = RunStatus::no_plan;
  std::string message;
  std::int64_t run_id = 0;
  int steps = 0;
  int failed_steps = 0;  // steps that ended failed or effects-missing
  std::vector<UnknownFact> unknown;  // the facts unknown when the run ended
  std::vector<std::string> waiting;  // needs_approval: the approval requests waited on
};

// `belief`: the state to start from (world state plus --state/--set). Progress goes to `report`
// (exec/run_report.h: human lines or JSON events), or as human lines to `out`.
// Throws only for journal failures (a full or broken disk): the caller reports them.
RunResult run(const model::World& world, model::State belief, const std::vector<load::SensorSpec>& sensors,
              const plugin_host::PluginSet& plugins, Journal* journal, const RunOptions& options, RunReport& report);
RunResult run(const model::World& world, model::State belief, const std::vector<load::SensorSpec>& sensors,
              const plugin_host::PluginSet& plugins, Journal* journal, const RunOptions& options, std::FILE* out);

// What the plugin would run for `step` (GOAP_OP_DESCRIBE through `fleet`), one command a line;
// why it cannot be run when it cannot (no `run:`, no such plugin, bad parameters).
std::vector<std::string> step_commands(const model::World& world, const PlanStep& step, const plugin_host::PluginSet& plugins,
                                       Fleet& fleet);

// The belief as state lines, one per line (non-default values only): what the journal keeps.
std::string belief_text(const model::World& world, const model::State& state);

}  // namespace goap::exec
