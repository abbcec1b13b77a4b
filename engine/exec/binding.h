// Filling `with:` templates for one ground action or sensor (FORMAT.md section 3).
//
// `${p}` is the object bound to parameter p, `${p.attr}` that object's attribute, `$$` a `$`.
// With a TemplateContext (the world's escalation action, exec/escalation.h), `${goap.goal}`,
// `${goap.reason}`, `${goap.cause}` and `${goap.run}` are the stuck goal, why, the cause and the
// run id; the loader accepts them only in that action's `with:`.
// A template fills part of one value: a list value (an argv) stays a list of the same length,
// so an object name or attribute can never become extra arguments, whatever it contains.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/world.h"
#include "plugin_host/invoke.h"

namespace goap::exec {

struct BindError {
  std::string message;
};

// What `${goap.NAME}` expands to (see above).
struct TemplateContext {
  std::string goal, reason, cause, run;
};

// nullopt (with *error) when a template names an unknown parameter or a missing attribute.
std::optional<std::string> expand(const std::string& text, const model::World& world,
                                  const std::vector<model::Param>& params, const std::vector<model::ObjectId>& binding,
                                  BindError* error, const TemplateContext* context = nullptr);

std::optional<std::vector<plugin_host::Param>> bind_with(const std::vector<std::pair<std::string, model::WithValue>>& with,
                                                         const model::World& world,
                                                         const std::vector<model::Param>& params,
                                                         const std::vector<model::ObjectId>& binding, BindError* error,
                                                         const TemplateContext* context = nullptr);

// Values that could become options. A `with:` item is in an option position when its parameter
// has an option-position type (user, host, ref, remote: plugin_api/argv_guard.h), or when it is
// an element of an argv (`list`) that starts with a template and comes before any literal "--"
// element: a program reads such an element as an option if its value starts with '-'.
bool in_option_position(const model::WithValue& value, std::size_t item, const std::string& type);

// True when an argv (`list`) runs ssh itself (`ssh` or a path ending in `/ssh`): every templated
// word after the program then reaches the remote shell and must be a plain word
// (plugin::check_remote_word); argv_option_issues refuses any other value.
bool runs_over_ssh(const model::WithValue& value);

// After bind_with: the argv elements in option positions whose values start with '-' (the typed
// ones are check_params' business), as issues naming the parameter and the value.
std::vector<plugin_host::ParamIssue> argv_option_issues(const std::vector<std::pair<std::string, model::WithValue>>& with,
                                                        const std::vector<plugin_host::Param>& bound,
                                                        const plugin_host::KindInfo& kind);

// What a template can fill in: each value of `text` over the bindings of the parameters it names
// (the others held at their first object), with the binding, at most `cap` bindings. For
// `goap check`; templates that name unknown parameters or attributes yield nothing.
struct TemplateValue {
  std::string value;
  std::vector<model::ObjectId> binding;  // over `params`
};
std::vector<TemplateValue> template_values(const std::string& text, const model::World& world,
                                           const std::vector<model::Param>& params, std::size_t cap);

// Every binding of `params` over the world's objects (subtypes included), in declaration order.
std::vector<std::vector<model::ObjectId>> all_bindings(const model::World& world, const std::vector<model::Param>& params);

}  // namespace goap::exec
