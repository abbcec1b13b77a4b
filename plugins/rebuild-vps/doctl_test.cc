// Reading doctl's droplet list (doctl.h): the exact name, and nothing guessed from a line it
// cannot read.
#include <doctest/doctest.h>

#include "doctl.h"

using rebuild_vps::parse_droplets;

TEST_CASE("droplets of exactly that name, with their ids") {
  std::string error;
  const std::string list = "7      web-10    203.0.113.7\n4242   web-1     203.0.113.8\n8   web\n\n";
  const auto found = parse_droplets(list, "web-1", error);
  CHECK(error.empty());
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == "4242");
  CHECK(found[0].ip == "203.0.113.8");
  CHECK(parse_droplets(list, "web", error).at(0).ip.empty());  // a droplet without an address yet
  CHECK(parse_droplets(list, "db-1", error).empty());
  CHECK(parse_droplets("11 web-1 203.0.113.8\n12 web-1 203.0.113.9\n", "web-1", error).size() == 2);
}

TEST_CASE("a line that is not ID NAME [IPV4] is an error, not skipped") {
  for (const char* bad : {"Notice: a new version of doctl is available\n4242 web-1 203.0.113.8\n",
                          "ID Name Public IPv4\n", "4242 web-1 203.0.113.8 extra\n", "web-1 4242\n"}) {
    std::string error;
    CHECK_MESSAGE(parse_droplets(bad, "web-1", error).empty(), bad);
    CHECK_MESSAGE(error.find("cannot read doctl's droplet list") == 0, bad);
  }
}
