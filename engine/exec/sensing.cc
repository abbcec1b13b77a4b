#include "exec/sensing.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "exec/binding.h"
#include "plugin_api/plugin.h"

namespace goap::exec {
namespace {

const plugin_host::KindInfo* sensor_kind(const plugin_host::PluginInfo& p, const load::SensorSpec& s) {
  if (s.sensor.empty()) return p.sensors.empty() ? nullptr : &p.sensors.front();
  return p.sensor(s.sensor);
}

std::vector<plugin_host::Param> unbound(const load::SensorSpec& s) {
  std::vector<plugin_host::Param> out;
  for (const auto& [name, v] : s.with) out.push_back({name, v.items, v.is_list});
  return out;
}

}  // namespace

const char* value_type(const model::FactDecl& decl) {
  switch (decl.kind) {
    case model::ValueKind::boolean: return "bool";
    case model::ValueKind::integer: return "int";
    case model::ValueKind::enumeration: return "enum";
  }
  return "?";
}

std::optional<int> to_index(const model::FactDecl& decl, const std::string& raw) {
  std::string v = raw;
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ' || v.back() == '\r')) v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  switch (decl.kind) {
    case model::ValueKind::boolean: {
      auto b = plugin::parse_bool(v);
      if (!b) return std::nullopt;
      return *b ? 1 : 0;
    }
    case model::ValueKind::integer: {
      auto n = plugin::parse_int(v);
      if (!n || *n < decl.lo || *n > decl.hi) return std::nullopt;
      return static_cast<int>(*n - decl.lo);
    }
    case model::ValueKind::enumeration:
      for (std::size_t i = 0; i < decl.enum_values.size(); ++i)
        if (decl.enum_values[i] == v) return static_cast<int>(i);
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> check_sensors(const std::vector<load::SensorSpec>& specs, const plugin_host::PluginSet& plugins) {
  std::vector<std::string> out;
  for (const load::SensorSpec& s : specs) {
    const plugin_host::LoadedPlugin* p = plugins.find(s.plugin);
    if (p == nullptr) {
      out.push_back("sensor '" + s.text + "': no plugin named '" + s.plugin + "' was found");
      continue;
    }
    const plugin_host::KindInfo* k = sensor_kind(p->info(), s);
    if (k == nullptr) {
      std::string names;
      for (const auto& x : p->info().sensors) names += (names.empty() ? "" : ", ") + x.name;
      out.push_back("sensor '" + s.text + "': plugin '" + s.plugin + "' has " +
                    (s.sensor.empty() ? std::string("no sensors") : "no sensor '" + s.sensor + "'") +
                    (names.empty() ? "" : " (it has: " + names + ")"));
      continue;
    }
    for (const auto& issue : plugin_host::check_params(*k, unbound(s), true))
      out.push_back("sensor '" + s.text + "': " + issue.message + (issue.hint.empty() ? "" : " (" + issue.hint + ")"));
  }
  return out;
}

std::vector<Reading> sense(const model::World& world, const std::vector<load::SensorSpec>& specs,
                           const plugin_host::PluginSet& plugins, const SenseOptions& options, PluginLogFn on_log,
                           void* ctx) {
  // First every ground sensor is bound (in this thread: binding reads the world), then the
  // invokes run on a small pool, each writing only its own slot, then the values are converted.
  struct Job {
    const plugin_host::LoadedPlugin* plugin = nullptr;
    plugin_host::Invocation call;
    plugin_host::InvokeResult result;
  };
  std::vector<Reading> out;
  std::vector<Job> jobs;
  std::vector<std::size_t> job_of;  // reading -> job, or npos when it failed before invoking
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  for (const load::SensorSpec& s : specs) {
    const plugin_host::LoadedPlugin* p = plugins.find(s.plugin);
    const plugin_host::KindInfo* k = p ? sensor_kind(p->info(), s) : nullptr;
    for (const auto& binding : all_bindings(world, s.params)) {
      Reading r;
      r.sensor = s.text;
      r.plugin = s.plugin;
      r.term = model::bind_term(s.term, binding);
      job_of.push_back(none);
      if (k == nullptr) {
        r.error = "plugin '" + s.plugin + "' or its sensor is not available";
        out.push_back(std::move(r));
        continue;
      }
      BindError err;
      auto params = bind_with(s.with, world, s.params, binding, &err);
      if (!params) {
        r.error = err.message;
        out.push_back(std::move(r));
        continue;
      }
      auto issues = plugin_host::check_params(*k, *params, false);
      if (issues.empty()) issues = argv_option_issues(s.with, *params, *k);
      if (!issues.empty()) {
        r.error = issues.front().message;
        out.push_back(std::move(r));
        continue;
      }
      Job job;
      job.plugin = p;
      job.call.op = GOAP_OP_SENSE;
      job.call.kind = k->name;
      job.call.action = world.term_name(r.term);
      job.call.params = plugin_host::with_defaults(*k, std::move(*params));
      job.call.deadline = plugin_host::hard_timeout(job.call.params, options.grace, options.fallback);
      job_of.back() = jobs.size();
      jobs.push_back(std::move(job));
      out.push_back(std::move(r));
    }
  }

  // Each invoke mostly waits on its child processes, so threads, not cores, bound the pool.
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < jobs.size();)
      jobs[i].result = plugin_host::invoke_isolated(*jobs[i].plugin, jobs[i].call, on_log, ctx);
  };
  std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, options.jobs)), jobs.size());
#if defined(__SANITIZE_ADDRESS__)
  // Debian 12's GCC AddressSanitizer runtime has no fork handlers for its allocator: a plugin
  // child forked while another sensing thread allocates can inherit the lock held and block for
  // ever (seen in CI as a sensor missing its deadline, its fact unknown). glibc's malloc, which
  // release and ThreadSanitizer builds use, is fork-safe. Under ASan the sensors are read one at
  // a time; everything else about sensing is the same.
  width = 1;
#endif
  if (width <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(width - 1);
    for (std::size_t t = 1; t < width; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }

  for (std::size_t i = 0; i < out.size(); ++i) {
    if (job_of[i] == none) continue;
    Reading& r = out[i];
    const auto& res = jobs[job_of[i]].result;
    r.ms = res.ms;
    r.raw = res.value("value");
    const model::FactDecl& decl = world.fact(r.term.fact);
    if (!res.ok()) {
      r.error = std::string(plugin_host::to_string(res.outcome)) + ": " + res.message;
    } else if (auto idx = to_index(decl, r.raw)) {
      r.ok = true;
      r.value = *idx;
    } else {
      r.error = "the sensor reported '" + r.raw + "', which is not a value of " + world.term_name(r.term) + " (" +
                value_type(decl) + ")";
    }
  }
  return out;
}

void apply_readings(const model::World& world, const std::vector<Reading>& readings, model::State& state) {
  for (const Reading& r : readings)
    if (r.ok) state.set(r.term, r.value, world.fact(r.term.fact));
}

void track_unknown(const std::vector<Reading>& readings, std::vector<UnknownFact>& unknown) {
  const auto forget = [&](const model::GroundTerm& t) {
    unknown.erase(std::remove_if(unknown.begin(), unknown.end(), [&](const UnknownFact& u) { return u.term == t; }),
                  unknown.end());
  };
  for (const Reading& r : readings) {
    if (r.ok) continue;
    forget(r.term);
    unknown.push_back(UnknownFact{r.term, r.sensor, r.plugin, r.error});
  }
  for (const Reading& r : readings)
    if (r.ok) forget(r.term);  // another sensor of the same fact read it
  std::sort(unknown.begin(), unknown.end(), [](const UnknownFact& a, const UnknownFact& b) {
    return a.term.fact != b.term.fact ? a.term.fact.index() < b.term.fact.index() : a.term.args < b.term.args;
  });
}

std::vector<UnknownFact> unknown_facts(const std::vector<Reading>& readings) {
  std::vector<UnknownFact> out;
  track_unknown(readings, out);
  return out;
}

std::vector<model::GroundTerm> terms_of(const std::vector<UnknownFact>& unknown) {
  std::vector<model::GroundTerm> out;
  for (const UnknownFact& u : unknown) out.push_back(u.term);
  return out;
}

}  // namespace goap::exec
