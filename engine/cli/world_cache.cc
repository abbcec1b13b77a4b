#include "cli/world_cache.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "core/log.h"
#include "load/loader.h"

namespace goap::cli {
namespace {

// load_world_text refuses a file over 4 MiB (engine/load/yaml_doc.h, README "Limits"); reading
// one byte past that is enough for it to say so.
constexpr std::size_t kWorldReadBytes = std::size_t{4} << 20;

bool unchanged(const LoadedWorld& w) {
  for (const auto& [path, id] : w.files) {
    const auto now = identify(path);
    if (!now || !(*now == id)) return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<const LoadedWorld> load_world_file(const std::string& path, const CommonOptions& common,
                                                   std::string* errors) {
  const auto started = std::chrono::system_clock::now();
  std::string error;
  auto file = read_regular_file(path, kWorldReadBytes, &error);
  if (!file) {
    *errors += "goap: error: " + error + "\n";
    return nullptr;
  }
  auto out = std::make_shared<LoadedWorld>();
  core::Diagnostics diags;
  auto world = load::load_world_text(path, std::move(file->text), out->sm, diags, load::LoadOptions{common.allow_outside});
  if (!world) {
    *errors += core::render_all(diags, out->sm, core::RenderOptions{common.color});
    return nullptr;
  }
  out->world = std::move(*world);
  // The world file is known by the descriptor it was read through; the files it used by their
  // paths now (a file swapped during the load reads as changed at the next lookup, not as fresh).
  namespace fs = std::filesystem;
  std::set<std::string> seen;
  const auto add = [&](const std::string& p, const std::optional<FileIdentity>& id) {
    if (seen.insert(p).second) out->files.emplace_back(p, id.value_or(FileIdentity{}));
  };
  add(path, file->identity);
  for (std::size_t i = 1; i < out->world.files.size(); ++i) add(out->world.files[i], identify(out->world.files[i]));
  for (const std::string& f : out->world.files) {
    std::string dir = fs::path(f).parent_path().string();
    if (dir.empty()) dir = ".";
    add(dir, identify(dir));
  }
  const std::int64_t started_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(started.time_since_epoch()).count();
  out->settled = std::all_of(out->files.begin(), out->files.end(), [&](const auto& f) {
    return f.second.mtime_ns != 0 && f.second.mtime_ns < started_ns - WorldCache::kSettleNs;
  });
  core::log::info("loaded world '{}' from {} file{}: {} objects, {} facts, {} actions, {} goals", out->world.name,
                  out->world.files.size(), out->world.files.size() == 1 ? "" : "s", out->world.objects.size(),
                  out->world.facts.size(), out->world.actions.size(), out->world.goals.size());
  return out;
}

std::shared_ptr<const LoadedWorld> WorldCache::get(const std::string& path, const CommonOptions& common,
                                                   std::string* errors) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(m_);
    auto it = slots_.find(path);
    if (it == slots_.end()) {
      if (slots_.size() >= kMaxWorlds) {
        auto oldest = slots_.begin();
        for (auto i = slots_.begin(); i != slots_.end(); ++i)
          if (i->second->last_use < oldest->second->last_use) oldest = i;
        slots_.erase(oldest);  // a request still using its world keeps it alive
      }
      it = slots_.emplace(path, std::make_shared<Slot>()).first;
    }
    slot = it->second;
    slot->last_use = ++clock_;
  }
  std::lock_guard lock(slot->m);
  if (slot->world && slot->world->settled && unchanged(*slot->world)) return slot->world;
  slot->world = load_world_file(path, common, errors);
  {
    std::lock_guard count(m_);
    ++loads_;
  }
  return slot->world;
}

std::size_t WorldCache::loads() const {
  std::lock_guard lock(m_);
  return loads_;
}

}  // namespace goap::cli
