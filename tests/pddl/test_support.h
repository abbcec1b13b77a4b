// Helpers shared by the PDDL tests (header-only): reading an instance file, and the explicit
// reachable state space, the oracle the mutex-group and symmetry tests check against.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ground/task.h"

namespace goap::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `state` with every effect of `op` applied.
inline std::vector<std::uint32_t> successor(const ground::Operator& op, std::vector<std::uint32_t> state) {
  for (const ground::VarVal& e : op.eff) state[e.var] = e.value;
  return state;
}

// Every state reachable from the initial one, in breadth-first order. Fails the test when the
// space has `cap` states or more: the checks want the whole space, not a prefix of it.
inline std::vector<std::vector<std::uint32_t>> reachable_states(const ground::Task& t, std::size_t cap) {
  std::set<std::vector<std::uint32_t>> seen{t.initial};
  std::vector<std::vector<std::uint32_t>> order{t.initial};
  for (std::size_t i = 0; i < order.size() && order.size() < cap; ++i)
    for (const ground::Operator& op : t.operators)
      if (t.applicable(op, order[i].data())) {
        auto next = successor(op, order[i]);
        if (seen.insert(next).second) order.push_back(std::move(next));
      }
  REQUIRE(order.size() < cap);
  return order;
}

}  // namespace goap::testing
