#include "cli/world_cache.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace goap::cli {
namespace {

namespace fs = std::filesystem;

// A fresh folder under $TMPDIR, removed with everything in it when the test ends.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "goap-world-cache-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
  // Every file and folder here last changed an hour ago: settled, so the cache may keep them.
  void backdate() const {
    const auto then = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& e : fs::recursive_directory_iterator(path)) fs::last_write_time(e.path(), then);
    fs::last_write_time(path, then);
  }
};

const char* kWorld = R"(kind: world
name: w
uses: [goals/*.yaml]
facts: {done: bool}
actions:
  finish: {eff: [done]}
)";

std::string goals(int priority) {
  return "kind: goals\ngoals:\n  g" + std::to_string(priority) + ": {priority: " + std::to_string(priority) +
         ", want: [done]}\n";
}

TEST_CASE("a world is loaded once and shared while none of its files change") {
  TempDir dir;
  fs::create_directory(dir.path / "goals");
  dir.write("goals/a.yaml", goals(1));
  const std::string world = dir.write("world.yaml", kWorld);
  dir.backdate();
  WorldCache cache;
  std::string errors;
  const auto first = cache.get(world, {}, &errors);
  REQUIRE_MESSAGE(first, errors);
  const auto second = cache.get(world, {}, &errors);
  CHECK(first.get() == second.get());
  CHECK(cache.loads() == 1);
  CHECK(first->world.goals.size() == 1);

  SUBCASE("a used file edited: loaded again") {
    dir.write("goals/a.yaml", goals(22));  // another size, whatever the clock's resolution
    const auto again = cache.get(world, {}, &errors);
    REQUIRE(again);
    CHECK(cache.loads() == 2);
    CHECK(again->world.goals.at(0).name == "g22");
    CHECK(first->world.goals.at(0).name == "g1");  // a request still holding the old one keeps it
  }
  SUBCASE("a file added where a glob looks: loaded again") {
    dir.write("goals/b.yaml", goals(2));
    const auto again = cache.get(world, {}, &errors);
    REQUIRE(again);
    CHECK(again->world.goals.size() == 2);
  }
  SUBCASE("a world just written is not kept: an edit in the same clock tick would go unseen") {
    dir.write("goals/a.yaml", goals(3));
    REQUIRE(cache.get(world, {}, &errors));
    REQUIRE(cache.get(world, {}, &errors));
    CHECK(cache.loads() == 3);
  }
  SUBCASE("the world file replaced by a broken one: the errors, not the old world") {
    dir.write("world.yaml", "kind: world\nname: [\n");
    errors.clear();
    CHECK_FALSE(cache.get(world, {}, &errors));
    CHECK(errors.find("world.yaml") != std::string::npos);
  }
}

TEST_CASE("a FIFO or a folder named as a world is refused at once, without blocking") {
  TempDir dir;
  const std::string fifo = (dir.path / "world.yaml").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string errors;
  WorldCache cache;
  CHECK_FALSE(cache.get(fifo, {}, &errors));  // no writer: a blocking open would never return
  CHECK(errors.find("is a FIFO (named pipe); goap reads only regular files") != std::string::npos);
  errors.clear();
  CHECK_FALSE(cache.get(dir.path.string(), {}, &errors));
  CHECK(errors.find("is a directory; goap reads only regular files") != std::string::npos);
}

}  // namespace
}  // namespace goap::cli
