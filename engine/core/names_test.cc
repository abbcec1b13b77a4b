#include "core/names.h"

#include <doctest/doctest.h>

#include "core/json_escape.h"

using namespace goap::core;

TEST_CASE("names follow [a-z][a-z0-9_-]*") {
  CHECK(is_valid_name("restart-ollama"));
  CHECK(is_valid_name("a1_b"));
  CHECK_FALSE(is_valid_name(""));
  CHECK_FALSE(is_valid_name("Restart"));
  CHECK_FALSE(is_valid_name("1abc"));
  CHECK_FALSE(is_valid_name("a b"));
}

TEST_CASE("edit distance counts a swap of neighbours as one edit") {
  CHECK(edit_distance("reachable", "reachable") == 0);
  CHECK(edit_distance("reachble", "reachable") == 1);
  CHECK(edit_distance("raechable", "reachable") == 1);
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("did-you-mean offers the closest declared names, closest first") {
  const std::vector<std::string> facts{"reachable", "disk_ok", "ollama_api_ok", "repo_synced"};
  CHECK(did_you_mean("reachble", facts) == "did you mean 'reachable'?");
  CHECK(did_you_mean("zzz", facts).empty());
  CHECK(closest_names("disk", facts) == std::vector<std::string>{"disk_ok"});
}

TEST_CASE("json strings escape quotes and control characters") {
  CHECK(json_quote("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
}
