// Resolving parsed expressions (expr.h) against a World's declarations.
//
// Turns `reachable($h)` into a model::Condition, checking every name (with did-you-mean), the
// arity and argument types (with a note pointing at the fact's declaration), and operands
// against the fact's domain (listing the allowed values). Every problem becomes a located
// diagnostic; a function returns nullopt when it reported an error.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/diag.h"
#include "load/expr.h"
#include "model/world.h"

namespace goap::load {

// What the expression is used for decides which operators it may use.
enum class ExprUse { precondition, want, when, effect, state };

// Names whose declaration already failed with an error. Their uses are skipped without a second
// error ("unknown fact" right after "unknown type" in its declaration is only noise); the load
// fails anyway because the first error was reported.
struct Broken {
  std::unordered_set<std::string> facts, objects;
};

struct Scope {
  const std::vector<model::Param>* params = nullptr;  // null: `$x` is not allowed here
  const char* owner = "";                             // "action 'x'", "goal 'y'": for messages
  const Broken* broken = nullptr;                     // a param with an invalid type is broken too
};

std::optional<model::Condition> resolve_condition(const SourceText& src, const model::World& w, const Scope& scope,
                                                  ExprUse use, core::Diagnostics& diags);
std::optional<model::Effect> resolve_effect(const SourceText& src, const model::World& w, const Scope& scope,
                                            core::Diagnostics& diags);
std::optional<model::StateLine> resolve_state_line(const SourceText& src, const model::World& w,
                                                   core::Diagnostics& diags, const Broken* broken = nullptr);

// A positive duration as `for` and `budget: {per:}` take it ("30s", "10m", "1h", "1d");
// nullopt when `text` is not one.
std::optional<std::chrono::milliseconds> parse_positive_duration(const std::string& text);

// Syntax only (no world): used by `goap check` on a lone actions/goals/state file.
bool check_syntax(const SourceText& src, core::Diagnostics& diags);

}  // namespace goap::load
