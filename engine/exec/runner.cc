#include "exec/runner.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/log.h"
#include "core/terminal_text.h"
#include "exec/approvals.h"
#include "exec/binding.h"
#include "exec/memory.h"
#include "exec/escalation.h"
#include "load/loader.h"
#include "plugin_host/invoke.h"

namespace goap::exec {
namespace {

using plugin_host::Invocation;
using plugin_host::InvokeResult;
using json = nlohmann::ordered_json;

// printf into a string: the human lines keep the shape they had when they were printed directly.
[[gnu::format(printf, 1, 2)]] std::string say(const char* format, ...) {
  va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string out(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, again);
  va_end(again);
  return out;
}

json unknown_json(const model::World& w, const std::vector<UnknownFact>& unknown) {
  json out = json::array();
  for (const UnknownFact& u : unknown)
    out.push_back({{"fact", w.term_name(u.term)}, {"sensor", u.sensor}, {"plugin", u.plugin}, {"error", u.error}});
  return out;
}

void plugin_log(void*, const std::string& plugin, const plugin_host::LogLine& l) {
  const auto level = l.level <= GOAP_LOG_TRACE ? core::log::Level::trace
                     : l.level == GOAP_LOG_DEBUG ? core::log::Level::debug
                     : l.level == GOAP_LOG_INFO  ? core::log::Level::info
                     : l.level == GOAP_LOG_WARN  ? core::log::Level::warn
                                                 : core::log::Level::error;
  if (core::log::enabled(level)) core::log::write(level, plugin + ": " + core::terminal_safe(l.message));
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms < 10'000 ? "%.2f s" : "%.0f s", ms / 1000);
  return buf;
}

// What it takes to carry out one ground action.
struct Bound {
  const plugin_host::LoadedPlugin* plugin = nullptr;
  Invocation call;
  std::string error;  // why it cannot be carried out
};

Bound bind_action(const model::World& w, const PlanStep& step, const plugin_host::PluginSet& plugins,
                  const RunOptions& o) {
  Bound b;
  const model::Action& a = w.actions[step.action];
  if (!a.run) {
    b.error = "'" + a.name + "' has no 'run:', so goap cannot carry it out";
    return b;
  }
  b.plugin = plugins.find(a.run->plugin);
  if (b.plugin == nullptr) {
    b.error = "no plugin named '" + a.run->plugin + "' was found (see 'goap plugins')";
    return b;
  }
  const plugin_host::KindInfo* kind = plugin_host::select_action_kind(b.plugin->info(), a.name, a.run->kind);
  if (kind == nullptr) {
    b.error = a.run->kind.empty() ? "plugin '" + a.run->plugin + "' carries out no actions"
                                  : "plugin '" + a.run->plugin + "' has no action kind '" + a.run->kind + "'";
    return b;
  }
  std::vector<model::ObjectId> binding;
  for (std::uint32_t x : step.args) binding.push_back(model::ObjectId::from(x));
  BindError err;
  auto params = bind_with(a.run->with, w, a.params, binding, &err);
  if (!params) {
    b.error = err.message;
    return b;
  }
  auto issues = plugin_host::check_params(*kind, *params, false);
  if (issues.empty()) issues = argv_option_issues(a.run->with, *params, *kind);
  if (!issues.empty()) {
    b.error = "plugin '" + a.run->plugin + "': " + issues.front().message;
    return b;
  }
  b.call.kind = kind->name;
  b.call.action = step.name;
  b.call.params = plugin_host::with_defaults(*kind, std::move(*params));
  b.call.deadline = plugin_host::hard_timeout(b.call.params, o.grace, o.fallback);
  return b;
}

std::vector<std::string> describe(Fleet& fleet, const Bound& b) {
  Invocation call = b.call;
  call.on_start = nullptr;
  call.op = GOAP_OP_DESCRIBE;
  call.deadline = std::chrono::milliseconds(10'000);
  const InvokeResult r = fleet.act(*b.plugin, call);
  std::vector<std::string> out;
  if (!r.ok()) {
    out.push_back("(the plugin could not describe its commands: " + std::string(plugin_host::to_string(r.outcome)) + ": " +
                  r.message + ")");
    return out;
  }
  for (const auto& [k, v] : r.emitted)
    if (k == "command") out.push_back(v);
  if (out.empty() && !r.message.empty()) out.push_back(r.message);
  return out;
}

bool approved(const RunOptions& o, const model::Action& a, const std::string& ground) {
  auto strip = [](std::string s) {
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return s;
  };
  return std::any_of(o.approve.begin(), o.approve.end(), [&](const std::string& x) {
    return x == a.name || strip(x) == strip(ground);
  });
}

// The state the action promises: its effects applied, simultaneously, to `before`.
std::vector<std::pair<model::GroundTerm, int>> expected_effects(const model::World& w, const PlanStep& step,
                                                                const model::State& before) {
  std::vector<model::ObjectId> binding;
  for (std::uint32_t x : step.args) binding.push_back(model::ObjectId::from(x));
  std::vector<std::pair<model::GroundTerm, int>> out;
  for (const model::Effect& e : w.actions[step.action].eff) {
    model::GroundTerm t = model::bind_term(e.term, binding);
    const model::FactDecl& d = w.fact(t.fact);
    const int v = e.op == model::EffOp::assign ? e.value : before.value(t, d) + e.value;
    out.emplace_back(std::move(t), v);
  }
  return out;
}

struct Sensed {
  std::vector<Reading> readings;
  int failed = 0;
};

Sensed sense_now(const model::World& w, const std::vector<load::SensorSpec>& specs, Fleet& fleet, model::State& belief,
                 std::vector<UnknownFact>& unknown, RunReport& report, bool after_step) {
  Sensed s;
  if (specs.empty()) return s;
  s.readings = fleet.sense(w, specs);
  apply_readings(w, s.readings, belief);
  track_unknown(s.readings, unknown);
  json values = json::object();
  for (const Reading& r : s.readings) {
    if (r.ok) {
      values[w.term_name(r.term)] = w.fact(r.term.fact).value_name(r.value);
      continue;
    }
    ++s.failed;
    report.emit("sensor_failed",
                say("  sensor %s failed: %s (unknown: nothing that reads it is done)", w.term_name(r.term).c_str(),
                    r.error.c_str()),
                {{"fact", w.term_name(r.term)}, {"sensor", r.sensor}, {"plugin", r.plugin}, {"error", r.error}});
  }
  const std::size_t read = s.readings.size() - static_cast<std::size_t>(s.failed);
  // After a step only the failures are told to people; the readings go to JSON either way.
  report.emit("sensed",
              after_step ? std::string()
                         : say("sensed %zu fact%s%s", read, read == 1 ? "" : "s",
                               s.failed ? (", " + std::to_string(s.failed) + " sensor" + (s.failed == 1 ? "" : "s") + " failed").c_str()
                                        : ""),
              {{"after_step", after_step}, {"facts", read}, {"failed", s.failed}, {"values", std::move(values)}});
  return s;
}

// What sensors read, one a line, for the journal's decisions (the audit trail).
std::string sensed_text(const model::World& w, const std::vector<Reading>& rs) {
  std::string out;
  for (const Reading& r : rs)
    out += r.ok ? w.state_line_text(r.term, r.value) + "\n" : w.term_name(r.term) + ": sensor failed: " + r.error + "\n";
  return out;
}

// What an attempt's command printed: the plugin's emitted `output` (the command plugin's
// capture), its log lines, and the plugin process's own stdout/stderr. The journal keeps the
// last 64 KiB of it.
std::string attempt_text(const InvokeResult& r) {
  std::string out;
  const auto line_end = [&] {
    if (!out.empty() && out.back() != '\n') out += '\n';
  };
  for (const auto& [k, v] : r.emitted)
    if (k == "output") {
      out += v;
      line_end();
    }
  if (r.logs_dropped) out += "[plugin log: " + std::to_string(r.logs_dropped) + " bytes dropped]\n";
  for (const plugin_host::LogLine& l : r.logs) {
    const char* lvl = l.level <= GOAP_LOG_DEBUG ? "debug" : l.level == GOAP_LOG_INFO ? "info" : l.level == GOAP_LOG_WARN ? "warn" : "error";
    out += std::string("[plugin ") + lvl + "] " + l.message + "\n";
  }
  if (r.output.find_first_not_of("\n\r ") != std::string::npos) {
    out += "[plugin process output]\n" + r.output;
    line_end();
  }
  return out;
}

const Reading* reading_for(const std::vector<Reading>& rs, const model::GroundTerm& t) {
  const Reading* found = nullptr;
  for (const Reading& r : rs)
    if (r.ok && r.term == t) found = &r;  // the last one wins, as in apply_readings
  return found;
}

}  // namespace

std::vector<std::string> step_commands(const model::World& world, const PlanStep& step, const plugin_host::PluginSet& plugins,
                                       Fleet& fleet) {
  const Bound b = bind_action(world, step, plugins, RunOptions{});
  if (!b.error.empty()) return {"(cannot run: " + b.error + ")"};
  return describe(fleet, b);
}

std::string belief_text(const model::World& world, const model::State& state) {
  std::vector<std::string> lines;
  for (const auto& [term, value] : state.cells()) lines.push_back(world.state_line_text(term, value));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

RunResult run(const model::World& world, model::State belief, const std::vector<load::SensorSpec>& sensors,
              const plugin_host::PluginSet& plugins, Journal* journal, const RunOptions& o, std::FILE* out) {
  RunReport report(out);
  return run(world, std::move(belief), sensors, plugins, journal, o, report);
}

RunResult run(const model::World& world, model::State belief, const std::vector<load::SensorSpec>& sensors,
              const plugin_host::PluginSet& plugins, Journal* journal, const RunOptions& o, RunReport& report) {
  RunResult result;
  Clock& clock = o.clock != nullptr ? *o.clock : system_clock();
  report.set_clock(&clock);
  PluginFleet plugin_fleet(plugins, o.sense, &plugin_log, nullptr);
  Fleet& fleet = o.fleet != nullptr ? *o.fleet : plugin_fleet;
  if (journal) journal->set_clock(&clock);
  // A run that acts takes `for` evidence from the journal's readings only, never from a state
  // file's or --set's `... for D` (exec/memory.h): a destructive step asks for evidence.
  if (!o.dry_run && !belief.held().empty()) {
    report.emit("note", "note: 'for' durations given in --state/--set are ignored by a run; only sensed readings count");
    belief.clear_held();
  }
  PlannerOptions planner = o.planner;
  std::map<std::string, int> failures;  // ground action -> failed steps in this run
  int seq = 0;
  // Approvals (exec/approvals.h): the requests this run waits on, by goal, and those it used.
  std::vector<std::pair<std::string, std::string>> waiting;
  std::vector<std::string> used_approvals;
  std::vector<std::pair<std::string, std::string>> approved_steps;  // (step, request) of the plan in hand
  std::vector<std::pair<std::string, std::string>> carried_out;     // (request, step) carried out
  const ApprovalPolicy approvals{journal, &clock, world.name, o.world_path, world_files_hash(world), o.approval_ttl};

  if (journal && !o.dry_run) {
    // No other goap runs this world on this journal (the caller holds its run lock): a run
    // left `running` belongs to a goap that died.
    std::optional<RunRow> prior = journal->resumable_run(o.world_path);
    if (!o.resume) prior.reset();
    if (o.resume && !prior) {
      report.emit("nothing_to_resume",
                  say("nothing to resume: %s has no unfinished run in %s", world.name.c_str(), journal->path().c_str()),
                  {{"world", world.name}, {"journal", journal->path()}});
      result.status = RunStatus::nothing_to_resume;
      return result;
    }
    if (prior) {
      result.run_id = prior->id;
      // What an interrupted step started may still run (goap and its supervisor were killed):
      // stop it before the step can be tried again.
      int stopped = 0;
      for (const StepRow& s : journal->steps(prior->id))
        if (s.status == "running" && s.proc_sid > 0)
          stopped += plugin_host::stop_step_process({s.proc_sid, s.proc_start});
      journal->claim_run(prior->id);
      const int interrupted = journal->mark_interrupted(prior->id);
      if (!prior->belief.empty()) {
        core::SourceManager sm;
        core::Diagnostics diags;
        model::State restored;
        std::istringstream lines(prior->belief);
        for (std::string line; std::getline(lines, line);)
          if (!line.empty())
            if (auto l = load::parse_state_line("journal", line, world, sm, diags)) load::apply_state_lines(world, {*l}, restored);
        if (!diags.has_errors()) belief = std::move(restored);
        else report.emit("note", "warning: the journal's belief no longer fits the world; starting from the world's state");
      }
      for (const StepRow& s : journal->steps(prior->id)) {
        seq = std::max(seq, s.seq);
        if (s.kind != "escalation" && (s.status == "failed" || s.status == "effects-missing")) ++failures[s.action];
      }
      std::string line = say("resuming run %lld of %s: %d step%s journaled", static_cast<long long>(prior->id),
                             world.name.c_str(), seq, seq == 1 ? "" : "s");
      if (interrupted) line += say(", %d interrupted (goap stopped while it ran)", interrupted);
      if (stopped) line += say("; stopped %d process%s it left running", stopped, stopped == 1 ? "" : "es");
      report.emit("run_started", line,
                  {{"run_id", result.run_id}, {"world", world.name}, {"journal", journal->path()}, {"dry_run", false},
                   {"resumed", true}, {"steps_journaled", seq}, {"interrupted", interrupted}, {"processes_stopped", stopped}});
    } else {
      result.run_id = journal->begin_run(world.name, o.world_path, false);
      report.emit("run_started",
                  say("run %lld: %s (journal %s)", static_cast<long long>(result.run_id), world.name.c_str(),
                      journal->path().c_str()),
                  {{"run_id", result.run_id}, {"world", world.name}, {"journal", journal->path()}, {"dry_run", false},
                   {"resumed", false}});
    }
  }
  if (!result.run_id)  // a dry run, or no journal: nothing to tell people, the start still for JSON
    report.emit("run_started", "",
                {{"run_id", nullptr}, {"world", world.name}, {"journal", nullptr}, {"dry_run", o.dry_run}, {"resumed", false}});
  for (const auto& [name, n] : failures)
    if (n >= o.failures_to_exclude) planner.without.push_back(name);

  auto finish = [&](RunStatus st, const std::string& status, std::string message) {
    result.status = st;
    result.message = std::move(message);
    if (journal && result.run_id) journal->set_run_status(result.run_id, status, result.message, true);
    return result;
  };

  std::vector<UnknownFact> unknown;  // facts no sensor could read (exec/sensing.h)
  std::vector<Reading> latest = sense_now(world, sensors, fleet, belief, unknown, report, false).readings;
  std::string last_sensed = sensed_text(world, latest);
  if (journal && result.run_id) {
    journal->save_belief(result.run_id, belief_text(world, belief));
    save_world_budgets(world, *journal, o.world_path);
    remember_readings(world, *journal, o.world_path, result.run_id, latest);
  }
  std::set<std::string> said_exhausted;  // budgets reported in this run
  // Each decision, with what was sensed just before it, goes to the audit trail.
  const auto journal_decision = [&](const Decision& d, std::string approval) {
    if (!journal || !result.run_id) return;
    DecisionRow row;
    row.sensed = std::move(last_sensed);
    last_sensed.clear();
    for (const GoalOutcome& g : d.goals)
      if (g.status != GoalStatus::satisfied && g.status != GoalStatus::inactive)
        row.unmet += world.goal(g.goal).name + " (" + to_string(g.status) + ")\n";
    if (d.chosen >= 0) {
      const GoalOutcome& c = d.goals[static_cast<std::size_t>(d.chosen)];
      row.goal = world.goal(c.goal).name;
      for (const PlanStep& s : c.plan) row.plan += s.name + "\n";
    }
    row.approval = std::move(approval);
    journal->decided(result.run_id, row);
  };
  Escalator escalator(world, plugins, fleet, clock, o.dry_run ? nullptr : journal, result.run_id, o.grace, o.fallback, report);
  std::set<std::string> escalated;  // goals escalated in this run: one message per goal and run

  for (;;) {
    if (o.stop && o.stop() && !o.dry_run) {
      report.emit("stopping", say("stopping: asked to stop (signal) after %d step%s", result.steps, result.steps == 1 ? "" : "s"),
                  {{"reason", "signal"}, {"steps", result.steps}});
      return finish(RunStatus::stopped, "stopped", "stopped by a signal after " + std::to_string(result.steps) + " step" +
                                                       (result.steps == 1 ? "" : "s"));
    }
    // Memory across runs (exec/memory.h), read afresh before every decision: budgets used up
    // (by this run or any other) and the evidence for `for` conditions.
    std::vector<BudgetUse> exhausted;
    if (journal) exhausted = exhausted_budgets(world, *journal, o.world_path, clock.now());
    PlannerOptions step_planner = planner;
    for (const BudgetUse& u : exhausted) {
      step_planner.without.push_back(u.ground);
      if (said_exhausted.insert(u.ground).second)
        report.emit("budget_exhausted", exhausted_text(u, clock.now()),
                    {{"action", u.ground}, {"used", u.used}, {"max", u.max}, {"per_ms", u.per.count()},
                     {"frees_at", iso_utc(u.frees_at)}});
    }
    const model::HeldFacts held = gather_evidence(world, journal, o.world_path, result.run_id, latest, clock.now());
    step_planner.held = &held;
    step_planner.unknown = terms_of(unknown);
    PlanningError perr;
    auto d = decide(world, belief, step_planner, &perr);
    if (!d) return finish(RunStatus::no_plan, "no-plan", "cannot plan: " + perr.message);
    if (d->chosen < 0 && !o.dry_run) journal_decision(*d, "");
    if (d->chosen < 0) {
      if (!waiting.empty()) {
        std::string ids, how;
        json requests = json::array();
        for (const auto& [goal_name, id] : waiting) {
          ids += (ids.empty() ? "" : " ") + id;
          const std::string command = "goap approve " + id + " --by NAME" +
                                      (journal && journal->path() != default_journal_path() ? " --journal " + journal->path() : "");
          how += "\n  " + id + " (goal '" + goal_name + "'): " + command;
          requests.push_back({{"request", id.empty() ? json() : json(id)}, {"goal", goal_name}, {"approve", command}});
        }
        report.emit("waiting_for_approval",
                    say("waiting for approval: nothing else can be done now (%d step%s in this run); approve with:%s",
                        result.steps, result.steps == 1 ? "" : "s", how.c_str()),
                    {{"steps", result.steps}, {"requests", std::move(requests)}});
        result.status = RunStatus::needs_approval;
        result.message = "waiting for approval: " + ids;
        for (const auto& w : waiting) result.waiting.push_back(w.second);
        // A request pending longer than --approval-escalate-after: tell a person (once per window).
        if (journal && !o.dry_run)
          for (const auto& [goal_name, id] : waiting) {
            const auto row = id.empty() ? std::nullopt : journal->approval(id);
            const auto filed = row ? parse_iso_utc(row->requested) : std::nullopt;
            if (!filed || clock.now() - *filed < o.approval_escalate_after) continue;
            escalator.escalate(goal_name, EscalationCause::approval,
                               "approval request " + id + " has waited since " + row->requested, seq);
          }
        if (journal && result.run_id) journal->set_run_status(result.run_id, "needs-approval", result.message, false);
        return result;
      }
      if (d->status == GoalStatus::satisfied) {
        report.emit("done", say("done: every relevant goal is met (%d step%s in this run)", result.steps, result.steps == 1 ? "" : "s"),
                    {{"steps", result.steps}});
        return finish(o.dry_run ? RunStatus::dry_run : RunStatus::done, "done", "every relevant goal is met");
      }
      if (d->status == GoalStatus::unknown) {
        std::string why;
        json goals = json::array();
        for (const GoalOutcome& g : d->goals)
          if (g.status == GoalStatus::unknown || (g.status == GoalStatus::unsolvable && g.operators_unknown > 0)) {
            why += "\n  " + world.goal(g.goal).name + ": " + to_string(g.status) + " (" + g.reason + ")";
            goals.push_back({{"goal", world.goal(g.goal).name}, {"status", to_string(g.status)}, {"reason", g.reason}});
          }
        why += "\n  unknown facts:";
        for (const UnknownFact& u : unknown)
          why += "\n    " + world.term_name(u.term) + ": sensor " + u.sensor + " (" + u.plugin + "): " + u.error;
        report.emit("facts_unknown", "facts unknown: nothing can be done without guessing" + why,
                    {{"goals", std::move(goals)}, {"unknown", unknown_json(world, unknown)}});
        result.unknown = unknown;
        return finish(RunStatus::facts_unknown, "facts-unknown", "sensors failed to read facts a relevant goal needs" + why);
      }
      std::string why;
      json goals = json::array(), budgets = json::array();
      for (const GoalOutcome& g : d->goals)
        if (g.status == GoalStatus::unsolvable || g.status == GoalStatus::limit) {
          why += "\n  " + world.goal(g.goal).name + ": " + to_string(g.status) + (g.reason.empty() ? "" : " (" + g.reason + ")");
          goals.push_back({{"goal", world.goal(g.goal).name}, {"status", to_string(g.status)}, {"reason", g.reason}});
        }
      if (!planner.without.empty()) {
        why += "\n  left out after failing twice:";
        for (const auto& w : planner.without) why += " " + w;
      }
      for (const BudgetUse& u : exhausted) {
        why += "\n  " + exhausted_text(u, clock.now());
        budgets.push_back(u.ground);
      }
      report.emit("no_recovery_plan", "no recovery plan:" + why,
                  {{"goals", std::move(goals)}, {"left_out", planner.without}, {"budgets_exhausted", std::move(budgets)}});
      // Tell a person (exec/escalation.h): each stuck goal, once per cause per window, and not
      // again in a run that already escalated it (an action given up for it).
      if (!o.dry_run)
        for (const GoalOutcome& g : d->goals) {
          if (g.status != GoalStatus::unsolvable && g.status != GoalStatus::limit) continue;
          const std::string& name = world.goal(g.goal).name;
          if (!escalated.insert(name).second) continue;
          // With budgets used up, the goal may be stuck only for them: say so (cause budget).
          std::string budgets;
          for (const BudgetUse& u : exhausted) budgets += (budgets.empty() ? "" : "; ") + exhausted_text(u, clock.now());
          if (!budgets.empty() && g.status == GoalStatus::unsolvable)
            escalator.escalate(name, EscalationCause::budget, budgets, seq);
          else
            escalator.escalate(name, EscalationCause::no_plan,
                               to_string(g.status) + std::string(g.reason.empty() ? "" : ": " + g.reason), seq);
        }
      return finish(RunStatus::no_plan, "no-plan", "no relevant goal has a plan" + why);
    }
    const GoalOutcome& chosen = d->goals[static_cast<std::size_t>(d->chosen)];
    const model::Goal& goal = world.goal(chosen.goal);

    const auto planned = [&](std::string text, json steps) {
      report.emit("planned", std::move(text),
                  {{"goal", goal.name}, {"priority", goal.priority}, {"cost", chosen.cost}, {"dry_run", o.dry_run},
                   {"steps", std::move(steps)}});
    };
    if (o.dry_run) {
      std::string text = say("dry run: goal '%s' (priority %d): %zu step%s, cost %lld", goal.name.c_str(), goal.priority,
                             chosen.plan.size(), chosen.plan.size() == 1 ? "" : "s", chosen.cost);
      json steps = json::array();
      for (std::size_t i = 0; i < chosen.plan.size(); ++i) {
        const PlanStep& s = chosen.plan[i];
        const model::Action& a = world.actions[s.action];
        const bool needs = a.approval && !approved(o, a, s.name);
        text += say("\n  %zu. %s%s", i + 1, s.name.c_str(), needs ? ("  [needs approval: --approve " + a.name + "]").c_str() : "");
        json step{{"step", s.name}, {"action", a.name}, {"needs_approval", needs}};
        Bound b = bind_action(world, s, plugins, o);
        if (!b.error.empty()) {
          text += "\n       cannot run: " + b.error;
          step["cannot_run"] = b.error;
        } else {
          const std::vector<std::string> commands = describe(fleet, b);
          for (const std::string& c : commands) text += "\n       $ " + c;
          step["commands"] = commands;
        }
        steps.push_back(std::move(step));
      }
      planned(std::move(text), std::move(steps));
      report.emit("dry_run_done", "dry run: nothing was executed");
      return finish(RunStatus::dry_run, "dry-run", "");
    }
    {
      json steps = json::array();
      for (const PlanStep& s : chosen.plan)
        steps.push_back({{"step", s.name}, {"action", world.actions[s.action].name},
                         {"needs_approval", world.actions[s.action].approval && !approved(o, world.actions[s.action], s.name)}});
      planned("", std::move(steps));
    }

    const PlanStep step = chosen.plan.front();
    if (result.steps >= o.max_steps) {
      report.emit("stopping", say("stopping: --max-steps %d reached; next would be %s", o.max_steps, step.name.c_str()),
                  {{"reason", "max_steps"}, {"steps", result.steps}, {"max_steps", o.max_steps}, {"next", step.name}});
      return finish(RunStatus::step_limit, "step-limit", "--max-steps " + std::to_string(o.max_steps) + " reached");
    }
    // Nothing of a plan runs while a step it needs, now or later, waits for approval.
    approved_steps.clear();
    if (std::any_of(chosen.plan.begin(), chosen.plan.end(), [&](const PlanStep& s) {
          return world.actions[s.action].approval && !approved(o, world.actions[s.action], s.name);
        })) {
      std::vector<PlannedStep> steps;
      for (const PlanStep& s : chosen.plan) {
        const model::Action& a = world.actions[s.action];
        steps.push_back({s.name, a.approval && !approved(o, a, s.name), step_commands(world, s, plugins, fleet)});
      }
      const PlanGate gate = gate_plan(approvals, goal.name, steps);
      for (const std::string& v : gate.voided) report.emit("approval_void", say("approval request %s: void", v.c_str()), {{"request", v}});
      if (gate.kind == PlanGate::Kind::declined) {
        for (const std::string& name : gate.declined) {
          report.emit("approval_declined",
                      say("%s was declined by %s (request %s): planning around it", name.c_str(), gate.by.c_str(),
                          gate.request.c_str()),
                      {{"goal", goal.name}, {"step", name}, {"by", gate.by}, {"request", gate.request}});
          planner.without.push_back(name);
        }
        journal_decision(*d, "declined by " + gate.by + " (request " + gate.request + "): planning around it");
        continue;
      }
      if (gate.kind == PlanGate::Kind::waiting) {
        std::string text = say("goal '%s' waits for approval (request %s%s): its plan needs", goal.name.c_str(),
                               gate.request.empty() ? "not filed: no journal" : gate.request.c_str(), gate.filed ? ", filed now" : "");
        json needs = json::array(), actions = json::array();
        for (const PlannedStep& s : steps)
          if (s.needs_approval) {
            text += " " + s.name;
            needs.push_back(s.name);
          }
        text += "; nothing of it runs until then (or run with --approve";
        for (std::size_t i = 0; i < steps.size(); ++i)
          if (steps[i].needs_approval) {
            text += " " + world.actions[chosen.plan[i].action].name;
            actions.push_back(world.actions[chosen.plan[i].action].name);
          }
        report.emit("goal_waits_for_approval", text + ")",
                    {{"goal", goal.name}, {"request", gate.request.empty() ? json() : json(gate.request)}, {"filed", gate.filed},
                     {"needs", std::move(needs)}, {"actions", std::move(actions)}});
        journal_decision(*d, "waiting: request " + (gate.request.empty() ? std::string("not filed") : gate.request));
        waiting.emplace_back(goal.name, gate.request);
        planner.skip_goals.push_back(chosen.goal);
        continue;
      }
      approved_steps = gate.approved_by;
      if (std::find(used_approvals.begin(), used_approvals.end(), gate.request) == used_approvals.end()) {
        used_approvals.push_back(gate.request);
        report.emit("approved", say("goal '%s': approved by %s (request %s)", goal.name.c_str(), gate.by.c_str(), gate.request.c_str()),
                    {{"goal", goal.name}, {"by", gate.by}, {"request", gate.request}});
      }
    }
    {
      std::string approval;
      for (const auto& [name, request] : approved_steps)
        if (name == step.name) approval = "approved in request " + request;
      if (approval.empty() && world.actions[step.action].approval)
        approval = "--approve " + step.name + " given on the command line" + [] {
          const char* u = std::getenv("USER");
          return std::string(u && *u ? " by " + std::string(u) : "") + " (uid " + std::to_string(getuid()) + ")";
        }();
      journal_decision(*d, approval);
    }
    Bound b = bind_action(world, step, plugins, o);
    if (!b.error.empty()) {
      report.emit("cannot_carry_out", say("cannot carry out %s: %s; planning without it", step.name.c_str(), b.error.c_str()),
                  {{"goal", goal.name}, {"step", step.name}, {"error", b.error}});
      planner.without.push_back(step.name);
      continue;
    }

    ++seq;
    ++result.steps;
    const std::vector<std::string> described = describe(fleet, b);
    report.emit("step_started", say("step %d: %s (goal '%s')", seq, step.name.c_str(), goal.name.c_str()),
                {{"seq", seq}, {"step", step.name}, {"action", world.actions[step.action].name}, {"goal", goal.name},
                 {"commands", described}});
    std::string commands;
    for (const std::string& c : described) commands += c + "\n";
    const std::int64_t step_id = journal && result.run_id ? journal->step_started(result.run_id, seq, step.name, goal.name, commands) : 0;

    InvokeResult r;
    std::string history;
    int attempts = 0;
    if (step_id)
      b.call.on_start = [&](const plugin_host::StepProcess& p) { journal->step_process(step_id, p.sid, p.start); };
    for (int attempt = 0; attempt <= o.retries; ++attempt) {
      if (attempt > 0) {
        const auto wait = o.backoff * (1LL << std::min(attempt - 1, 10));
        report.emit("retrying", "  retrying in " + seconds(static_cast<double>(wait.count())),
                    {{"seq", seq}, {"step", step.name}, {"attempt", attempt + 1}, {"wait_ms", wait.count()}});
        clock.sleep_for(wait);
      }
      attempts = attempt + 1;
      r = fleet.act(*b.plugin, b.call);
      const std::string line = std::string(plugin_host::to_string(r.outcome)) + " in " + seconds(r.ms) +
                               (r.message.empty() ? "" : ": " + r.message);
      report.emit("attempt", say("  attempt %d: %s", attempts, line.c_str()),
                  {{"seq", seq}, {"step", step.name}, {"attempt", attempts}, {"outcome", plugin_host::to_string(r.outcome)},
                   {"ms", std::round(r.ms * 1000) / 1000}, {"plugin_message", r.message}});
      history += (history.empty() ? "" : "\n") + ("attempt " + std::to_string(attempts) + ": " + line);
      if (step_id) {
        journal->attempt_output(step_id, attempts, plugin_host::to_string(r.outcome), attempt_text(r));
        journal->step_progress(step_id, attempts, history);
      }
      if (r.ok()) break;
    }

    const model::State before = belief;
    const auto expected = expected_effects(world, step, before);
    std::string status, message;
    std::vector<std::string> missing, verified;
    if (r.ok()) {
      for (const auto& [t, v] : expected) belief.set(t, v, world.fact(t.fact));
    }
    Sensed s = sense_now(world, sensors, fleet, belief, unknown, report, true);
    last_sensed = sensed_text(world, s.readings);
    latest = s.readings;
    if (journal && result.run_id) remember_readings(world, *journal, o.world_path, result.run_id, s.readings);
    if (r.ok()) {
      const auto verify = [&] {
        missing.clear();
        verified.clear();
        for (const auto& [t, v] : expected) {
          const Reading* rd = reading_for(s.readings, t);
          if (!rd) continue;
          if (rd->value == v) verified.push_back(world.state_line_text(t, v));
          else missing.push_back(world.state_line_text(t, v) + " (sensed: " + world.state_line_text(t, rd->value) + ")");
        }
      };
      verify();
      // Only the sensors that read one of the action's effects are asked again.
      std::vector<load::SensorSpec> relevant;
      for (const auto& spec : sensors)
        if (std::any_of(expected.begin(), expected.end(), [&](const auto& e) { return e.first.fact == spec.term.fact; }))
          relevant.push_back(spec);
      const auto window_end = clock.now() + o.verify_window;
      while (!missing.empty() && clock.now() < window_end) {
        clock.sleep_for(o.verify_interval);
        s.readings = fleet.sense(world, relevant);
        apply_readings(world, s.readings, belief);
        track_unknown(s.readings, unknown);
        if (journal && result.run_id) remember_readings(world, *journal, o.world_path, result.run_id, s.readings);
        verify();
      }
      if (missing.empty()) {
        status = "done";
        message = verified.empty() ? "no sensor reads its effects: taken on the plugin's word"
                                    : "verified: " + [&] {
                                        std::string j;
                                        for (const auto& v : verified) j += (j.empty() ? "" : ", ") + v;
                                        return j;
                                      }();
      } else {
        status = "effects-missing";
        for (const auto& m : missing) message += (message.empty() ? "" : ", ") + m;
        message = "the plugin reported success, but its effects did not appear: " + message;
      }
    } else {
      status = "failed";
      message = std::string(plugin_host::to_string(r.outcome)) + " after " + std::to_string(attempts) + " attempt" +
                (attempts == 1 ? "" : "s") + ": " + r.message;
    }
    json effects = json::array();
    for (const auto& [t, v] : expected) effects.push_back(world.state_line_text(t, v));
    report.emit("step_finished", say("  %s: %s", status.c_str(), message.c_str()),
                {{"seq", seq}, {"step", step.name}, {"goal", goal.name}, {"status", status}, {"attempts", attempts},
                 {"outcome", plugin_host::to_string(r.outcome)}, {"effects", std::move(effects)}, {"verified", verified},
                 {"missing", missing}, {"detail", message}});
    // An approval is good for one carrying-out: used once each step it approved is done.
    for (const auto& [approved_step, request] : approved_steps)
      if (approved_step == step.name && status == "done" && journal)
        mark_carried_out(*journal, request, step.name, result.run_id, carried_out);
    if (journal && result.run_id) {
      journal->save_belief(result.run_id, belief_text(world, belief));
      journal->step_finished(step_id, status, history + "\n" + message);
    }
    if (status != "done") {
      ++result.failed_steps;
      const int n = ++failures[step.name];
      if (n >= o.failures_to_exclude) {
        report.emit("given_up", say("  %s failed %d times: not choosing it again in this run", step.name.c_str(), n),
                    {{"step", step.name}, {"goal", goal.name}, {"failures", n}});
        planner.without.push_back(step.name);
        if (escalated.insert(goal.name).second)
          escalator.escalate(goal.name, EscalationCause::given_up,
                             step.name + " failed " + std::to_string(n) + " times and is given up: " + message, seq);
      }
    }
  }
}

}  // namespace goap::exec
