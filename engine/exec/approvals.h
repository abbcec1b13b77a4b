// Approvals for a whole plan: the inbox of approval requests in the journal (table approvals).
//
// A plan whose steps include one that needs approval (`approval: true`, not pre-approved with
// `goap run --approve`) runs no step at all until every such step is approved: the run files a
// request and works on other goals meanwhile (exec/runner.h). A request records the world, the
// goal, the whole plan, the exact commands each step would run (the plugins' descriptions), a
// hash of the world's files, when it was filed and when it expires. `goap approve ID --by NAME`
// or `goap decline ID --by NAME --reason TEXT` decides it; the next `goap run` of the world
// uses the decision.
//
// What a decision covers: the request's gated steps, each as "<ground action>|<hash of its
// commands>". An approved request lets those steps run, in this plan or a later one of the
// same world, while it is valid and until each has been carried out once; a declined one keeps them out of planning (like an action that
// failed) while it is valid.
//
// Validity (standing()):
//   pending   filed, not decided, before `expires` (filed + TTL; goap run --approval-ttl, 1 h)
//   approved  decided yes; valid until `expires`, which the approval resets to decided + TTL
//   declined  decided no; valid with no time limit, until the world's files or the step's
//             commands change (then the step may be asked for again)
//   used      approved, and every step it approves has been carried out once (by the run that
//             used it): an approval is good for one carrying-out, never for the next fault
//   expired   pending or approved past `expires`
//   void      the world's files changed since the request (hash of every loaded file's
//             contents), or a later run found different commands for one of its steps; the
//             reason says which. A void request is never used.
// Re-filing: the same plan with the same commands and files is the same request (its key), so a
// timer calling `goap run` every minute files it once. Only once it expired or went void is a
// new request filed for that key, with a new id.
//
// Ids: "a" and 7 hex digits of a 64-bit FNV-1a hash of the key and how many requests that key
// had before ("a3f09c1d"): short, stable for a request, and checked unique in the journal (a
// clash takes 15 hex digits).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "exec/journal.h"
#include "exec/seams.h"
#include "model/world.h"

namespace goap::exec {

// 16 hex digits of a 64-bit FNV-1a hash: stable across builds and machines.
std::string fnv_hex(const std::string& text);

// The hash of every file the world was loaded from (World::files): names and contents.
std::string world_files_hash(const model::World& world);

// One step of a plan, as a request sees it.
struct PlannedStep {
  std::string name;                   // "rebuild-vps(hermes-vps)"
  bool needs_approval = false;        // `approval: true` and not pre-approved on the command line
  std::vector<std::string> commands;  // the plugin's description (or why it cannot run)
};

struct ApprovalPolicy {
  Journal* journal = nullptr;
  const Clock* clock = nullptr;
  std::string world, world_path, files_hash;
  std::chrono::milliseconds ttl{3'600'000};
};

struct Standing {
  std::string status;  // pending | approved | declined | expired | void
  std::string why;     // for void: what changed
};
Standing standing(const ApprovalRow& row, Clock::time_point now, const std::string& files_hash);

struct PlanGate {
  enum class Kind { clear, waiting, declined };
  Kind kind = Kind::clear;
  std::string request;                  // waiting: the request; declined: the decline; clear: the approval used
  std::string by;                       // who approved or declined
  // clear: for each approved step, the request that approves it (mark_carried_out())
  std::vector<std::pair<std::string, std::string>> approved_by;  // (step, request)
  std::vector<std::string> declined;    // declined: the steps to plan around
  bool filed = false;                   // waiting: the request was filed just now
  std::vector<std::string> voided;      // requests this call found void ("a1b2c3d4: why")
};

// What may happen with `plan` for `goal`: clear (nothing needs approval, or every step that does
// is approved), waiting (a pending request, filed now if new), or declined (steps to plan around).
PlanGate gate_plan(const ApprovalPolicy& policy, const std::string& goal, const std::vector<PlannedStep>& plan);

// `step` of an approved request was carried out in `run`: once all its steps were, it is `used`.
// `done` holds, per request, the steps carried out so far (the caller keeps it for the run).
void mark_carried_out(Journal& journal, const std::string& request, const std::string& step, std::int64_t run,
                      std::vector<std::pair<std::string, std::string>>& done);

// Decides a pending request. Returns "" on success, else why not (unknown id, expired, decided).
std::string decide_request(Journal& journal, const Clock& clock, const std::string& id, bool approve,
                           const std::string& by, const std::string& reason);

// A duration such as "90s", "1h", "15m", "500ms", "2d"; nullopt when it is not one (or not > 0).
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace goap::exec
