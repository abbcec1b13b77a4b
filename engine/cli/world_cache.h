// Loaded YAML worlds shared by the requests of one `goap batch` (cmd_batch.cc).
//
// Loading dominates a small request: on timmy-ops, yaml-cpp's scanner took over half of a
// batch's time (perf, 500 requests). The cache loads a world once and hands every request the
// same read-only copy (model::World is immutable once loaded; planning only reads it).
//
// A cached world is used only while every file behind it is still the file it was read from:
// the world file and each file its `uses:` pulled in are compared by device, inode, size and
// mtime (nanoseconds) on every lookup, and so is each folder they sit in (a file added to a folder
// a `uses:` glob reads changes the folder's mtime). Anything changed: the world is loaded again.
// A world that fails to load is not cached; each request naming it gets the errors afresh. Nor is
// one with a file modified less than kSettleNs before the load: a second edit within the same
// tick of the file system's clock could leave every identity as it was ("racy git"), so such a
// world is loaded again by each request until its files have settled.
//
// Thread-safe: requests on TBB workers look worlds up at once; two lookups of the same path wait
// for one load. At most kMaxWorlds worlds are kept (the least recently used goes first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cli/input.h"
#include "core/diag.h"
#include "model/world.h"

namespace goap::cli {

struct LoadedWorld {
  model::World world;
  core::SourceManager sm;  // the world's file texts: state-line diagnostics point into them
  std::vector<std::pair<std::string, FileIdentity>> files;  // every file and folder it was read from
  bool settled = false;  // every file's mtime was kSettleNs older than the load: safe to share
};

class WorldCache {
 public:
  static constexpr std::size_t kMaxWorlds = 64;
  static constexpr std::int64_t kSettleNs = 2'000'000'000;  // FAT's mtime has 2 s steps

  // The world at `path`, loaded now or earlier; nullptr with rendered diagnostics in *errors.
  std::shared_ptr<const LoadedWorld> get(const std::string& path, const CommonOptions& common, std::string* errors);

  [[nodiscard]] std::size_t loads() const;  // how many times a world was read (tests, logs)

 private:
  struct Slot {
    std::mutex m;
    std::shared_ptr<const LoadedWorld> world;
    std::size_t last_use = 0;
  };

  mutable std::mutex m_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  std::size_t clock_ = 0;
  std::size_t loads_ = 0;
};

// Loads a world from `path` without blocking on it (read_regular_file), with the identities of
// every file it used. Errors rendered into *errors.
std::shared_ptr<const LoadedWorld> load_world_file(const std::string& path, const CommonOptions& common,
                                                   std::string* errors);

}  // namespace goap::cli
