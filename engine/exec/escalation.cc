#include "exec/escalation.h"

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "exec/binding.h"
#include "plugin_host/invoke.h"

namespace goap::exec {

const char* to_string(EscalationCause c) {
  switch (c) {
    case EscalationCause::no_plan: return "no-plan";
    case EscalationCause::budget: return "budget";
    case EscalationCause::approval: return "approval";
    case EscalationCause::given_up: return "given-up";
  }
  return "?";
}

namespace {

std::int64_t epoch_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

bool EscalationWindow::due(const std::string& world, const std::string& goal, EscalationCause cause) {
  std::optional<std::int64_t> last;
  if (journal_ != nullptr) {
    last = journal_->last_escalation(world, goal, to_string(cause));
  } else if (auto it = memory_.find({world, goal, to_string(cause)}); it != memory_.end()) {
    last = it->second;
  }
  // A last time in the future (the clock was set back) counts as now: still inside the window.
  return !last || epoch_ms(clock_.now()) - *last >= window_.count();
}

void EscalationWindow::record(const std::string& world, const std::string& goal, EscalationCause cause) {
  const std::int64_t now = epoch_ms(clock_.now());
  if (journal_ != nullptr) journal_->record_escalation(world, goal, to_string(cause), now);
  else memory_[{world, goal, to_string(cause)}] = now;
}

Escalator::Escalator(const model::World& world, const plugin_host::PluginSet& plugins, Fleet& fleet, const Clock& clock,
                     Journal* journal, std::int64_t run_id, std::chrono::milliseconds grace,
                     std::chrono::milliseconds fallback, RunReport& report)
    : world_(world),
      plugins_(plugins),
      fleet_(fleet),
      journal_(journal),
      run_id_(run_id),
      grace_(grace),
      fallback_(fallback),
      report_(report),
      window_(journal, clock, std::chrono::milliseconds(world.escalate_every_ms)) {}

Escalated Escalator::escalate(const std::string& goal, EscalationCause cause, const std::string& reason, int& seq) {
  if (world_.escalate.empty()) return Escalated::no_action;
  if (!window_.due(world_.name, goal, cause)) {
    report_.emit("escalation_skipped",
                 "  escalation of '" + goal + "' (" + to_string(cause) + ") already sent within " +
                     std::to_string(world_.escalate_every_ms / 1000) + " s: not again",
                 {{"goal", goal}, {"cause", to_string(cause)}, {"window_ms", world_.escalate_every_ms}});
    return Escalated::not_due;
  }
  // Recorded before it runs: a failing notifier is not retried every tick either.
  window_.record(world_.name, goal, cause);
  const auto it = world_.action_index.find(world_.escalate);
  const model::Action& a = world_.action(it->second);
  const TemplateContext context{goal, reason, to_string(cause), std::to_string(run_id_)};
  std::string error;
  plugin_host::Invocation call;
  const plugin_host::LoadedPlugin* plugin = a.run ? plugins_.find(a.run->plugin) : nullptr;
  const plugin_host::KindInfo* kind = plugin ? plugin_host::select_action_kind(plugin->info(), a.name, a.run->kind) : nullptr;
  if (plugin == nullptr) {
    error = a.run ? "no plugin named '" + a.run->plugin + "' was found" : "it has no 'run:'";
  } else if (kind == nullptr) {
    error = a.run->kind.empty() ? "plugin '" + a.run->plugin + "' carries out no actions"
                                : "plugin '" + a.run->plugin + "' has no action kind '" + a.run->kind + "'";
  } else {
    BindError err;
    auto params = bind_with(a.run->with, world_, a.params, {}, &err, &context);
    if (!params) {
      error = err.message;
    } else {
      auto issues = plugin_host::check_params(*kind, *params, false);
      if (issues.empty()) issues = argv_option_issues(a.run->with, *params, *kind);
      if (!issues.empty()) error = "plugin '" + a.run->plugin + "': " + issues.front().message;
      call.kind = kind->name;
      call.action = a.name;
      call.params = plugin_host::with_defaults(*kind, std::move(*params));
      call.deadline = plugin_host::hard_timeout(call.params, grace_, fallback_);
    }
  }
  ++seq;
  report_.emit("escalating", "escalating: '" + goal + "' is stuck (" + to_string(cause) + "): " + a.name,
               {{"goal", goal}, {"cause", to_string(cause)}, {"action", a.name}, {"seq", seq}, {"reason", reason}});
  const std::int64_t step = journal_ && run_id_ ? journal_->step_started(run_id_, seq, a.name, goal, "") : 0;
  if (step) journal_->step_kind(step, "escalation");
  std::string message;
  Escalated result = Escalated::done;
  if (!error.empty()) {
    message = "cannot escalate with '" + a.name + "': " + error;
    result = Escalated::failed;
  } else {
    const plugin_host::InvokeResult r = fleet_.act(*plugin, call);
    message = std::string(plugin_host::to_string(r.outcome)) + (r.message.empty() ? "" : ": " + r.message);
    if (!r.ok()) result = Escalated::failed;
  }
  report_.emit("escalated", std::string("  escalation ") + (result == Escalated::done ? "sent" : "failed") + ": " + message,
               {{"goal", goal}, {"cause", to_string(cause)}, {"action", a.name}, {"seq", seq},
                {"status", result == Escalated::done ? "sent" : "failed"}, {"detail", message}});
  if (result == Escalated::failed) core::log::warn("escalation of '{}' ({}) failed: {}", goal, to_string(cause), message);
  if (step) journal_->step_finished(step, result == Escalated::done ? "done" : "failed", message);
  return result;
}

}  // namespace goap::exec
