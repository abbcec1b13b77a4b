#include "cli/did_you_mean.h"

#include <doctest/doctest.h>

using goap::cli::closest_names;
using goap::cli::did_you_mean;
using goap::cli::edit_distance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps") {
  CHECK(edit_distance("next", "next") == 0);
  CHECK(edit_distance("nxt", "next") == 1);
  CHECK(edit_distance("nexxt", "next") == 1);
  CHECK(edit_distance("nwxt", "next") == 1);
  CHECK(edit_distance("nxet", "next") == 1);  // a swap is one edit
  CHECK(edit_distance("", "run") == 3);
  CHECK(edit_distance("plan", "") == 4);
  CHECK(edit_distance("approve", "approvals") == 3);
}

TEST_CASE("closest names: the nearest plausible typos, in the order given") {
  const std::vector<std::string> commands{"check", "plan", "next", "validate", "pddl", "batch", "explain", "graph",
                                          "schema", "plugins", "sense", "run", "history", "approvals", "approve",
                                          "decline"};
  CHECK(closest_names("nxt", commands) == std::vector<std::string>{"next"});
  CHECK(closest_names("rnu", commands) == std::vector<std::string>{"run"});
  CHECK(closest_names("histroy", commands) == std::vector<std::string>{"history"});
  CHECK(closest_names("approv", commands) == std::vector<std::string>{"approve"});
  CHECK(closest_names("approvels", commands) == std::vector<std::string>{"approvals"});
  CHECK(closest_names("plugin", commands) == std::vector<std::string>{"plugins"});
  // Nothing near: no guess.
  CHECK(closest_names("deploy", commands).empty());
  CHECK(closest_names("ab", commands).empty());
  CHECK(closest_names("x", commands).empty());
  // Ties are all offered.
  CHECK(closest_names("plam", {"plan", "plat", "zzzz"}) == std::vector<std::string>{"plan", "plat"});
}

TEST_CASE("the suggestion as the message says it") {
  CHECK(did_you_mean({}) == "");
  CHECK(did_you_mean({"next"}) == " did you mean 'next'?");
  CHECK(did_you_mean({"dry-run"}, "--") == " did you mean '--dry-run'?");
  CHECK(did_you_mean({"a", "b", "c"}) == " did you mean 'a', 'b' or 'c'?");
}
