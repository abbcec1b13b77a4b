// Filling `with:` templates for one ground action or sensor (FORMAT.md section 3).
//
// `${p}` is the object bound to parameter p, `${p.attr}` that object's attribute, `$$` a `$`.
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

// nullopt (with *error) when a template names an unknown parameter or a missing attribute.
std::optional<std::string> expand(const std::string& text, const model::World& world,
                                  const std::vector<model::Param>& params, const std::vector<model::ObjectId>& binding,
                                  BindError* error);

std::optional<std::vector<plugin_host::Param>> bind_with(const std::vector<std::pair<std::string, model::WithValue>>& with,
                                                         const model::World& world,
                                                         const std::vector<model::Param>& params,
                                                         const std::vector<model::ObjectId>& binding, BindError* error);

// Every binding of `params` over the world's objects (subtypes included), in declaration order.
std::vector<std::vector<model::ObjectId>> all_bindings(const model::World& world, const std::vector<model::Param>& params);

}  // namespace goap::exec
