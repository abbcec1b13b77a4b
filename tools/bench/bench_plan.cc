// bench_plan: in-process latency and throughput of goap's planner. A benchmark, not a test: it
// measures and prints; it is not registered with `meson test` (tests never time).
//
//   bench_plan soldier WORLD.yaml [--heuristic H] [--iterations N] [--goal NAME] [--expect-cost C]
//       One goal task, one heuristic and one Searcher built once; then N back-to-back solves
//       (after a warm-up), timed in batches. Also times, separately and labelled, a replan from a
//       new state on the same task, and the whole in-process replan (ground + goal task +
//       heuristic + searcher + solve) from a new model state.
//   bench_plan world WORLD.yaml [--state FILE] [--threads N] [--iterations N] [--heuristic H]
//       exec::decide on the world's own state (or FILE's overrides): latency median/p95, the
//       stages it spends its time in, grounding size, peak RSS.
//   bench_plan scaling WORLD.yaml [--state-dir DIR] [--heuristic H] [--min-ms MS] [--runs K]
//       Throughput of a batch of independent goal searches (every open goal of every state,
//       repeated until one single-thread run takes at least MS) under tbb::parallel_for at 1 and
//       at 2 threads (tbb::global_control), and the ratio.
//
// Every mode prints `key: value` lines so tools/bench/run.sh can pick numbers out with grep.
// Exit status: 0 measured, 1 a check failed (wrong plan cost, answers differ by thread count),
// 2 bad usage or input.
#include <sys/resource.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "exec/goal_planner.h"
#include "ground/grounder.h"
#include "heuristics/factory.h"
#include "load/loader.h"
#include "search/search.h"

namespace {

using namespace goap;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}
double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

// User + system CPU seconds of the whole process (every thread) so far.
double cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;  // KiB on Linux
}

[[noreturn]] void usage(const char* msg) {
  std::fprintf(stderr,
               "bench_plan: %s\n"
               "usage: bench_plan soldier WORLD.yaml [--heuristic H] [--iterations N] [--goal NAME] [--expect-cost C]\n"
               "       bench_plan world WORLD.yaml [--state FILE] [--threads N] [--iterations N] [--heuristic H]\n"
               "       bench_plan scaling WORLD.yaml [--state-dir DIR] [--heuristic H] [--min-ms MS] [--runs K]\n",
               msg);
  std::exit(2);
}

struct Args {
  std::string mode, world;
  std::map<std::string, std::string> opt;

  [[nodiscard]] std::string str(const std::string& k, std::string def) const {
    auto it = opt.find(k);
    return it == opt.end() ? def : it->second;
  }
  [[nodiscard]] long num(const std::string& k, long def) const {
    auto it = opt.find(k);
    if (it == opt.end()) return def;
    char* end = nullptr;
    const long v = std::strtol(it->second.c_str(), &end, 10);
    if (*end != '\0' || v < 0) usage(("--" + k + " wants a non-negative integer").c_str());
    return v;
  }
};

Args parse_args(int argc, char** argv) {
  if (argc < 3) usage("a mode and a world file are required");
  Args a{argv[1], argv[2], {}};
  for (int i = 3; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0 || i + 1 >= argc) usage(("unexpected argument '" + k + "'").c_str());
    a.opt[k.substr(2)] = argv[++i];
  }
  return a;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) usage(("cannot read " + path).c_str());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A loaded world; the SourceManager owns every file's text, which diagnostics point into.
struct Loaded {
  core::SourceManager sm;
  model::World world;
  double load_ms = 0;
};

std::unique_ptr<Loaded> load_world(const std::string& path) {
  auto l = std::make_unique<Loaded>();
  core::Diagnostics diags;
  const auto t0 = Clock::now();
  auto w = load::load_world(path, l->sm, diags);
  l->load_ms = ms_since(t0);
  if (!w) {
    std::fputs(core::render_all(diags, l->sm).c_str(), stderr);
    std::exit(2);
  }
  l->world = std::move(*w);
  return l;
}

// The world's own state with a state file's lines applied over it.
model::State state_with(Loaded& l, const std::string& state_file) {
  model::State s = l.world.initial_state();
  if (state_file.empty()) return s;
  core::Diagnostics diags;
  auto lines = load::load_state_text(state_file, read_file(state_file), l.world, l.sm, diags);
  if (!lines || diags.has_errors()) {
    std::fputs(core::render_all(diags, l.sm).c_str(), stderr);
    std::exit(2);
  }
  load::apply_state_lines(l.world, *lines, s);
  return s;
}

ground::Domain ground_or_die(const model::World& w, const model::State& s) {
  ground::GroundingError err;
  auto d = ground::ground_domain(w, s, &err);
  if (!d) usage(("grounding failed: " + err.message).c_str());
  return std::move(*d);
}

// ---------------------------------------------------------------------------------------------
// soldier: per-plan latency of a reused Searcher.

// A measurement of a design, not part of the engine: h memoized by state across solves. A GOAP
// agent replans the same small task over and over, so the same few states come back every time;
// a heuristic is deterministic per state (search/heuristic.h), so its value can be kept. Only
// for tasks whose state packs into 64 bits; preferred operators are not cached.
class MemoHeuristic final : public search::Heuristic {
 public:
  MemoHeuristic(search::Heuristic& inner, const ground::Task& task) : inner_(inner) {
    for (const ground::Variable& v : task.variables) {
      std::uint32_t b = 1;
      while ((1u << b) < v.domain) ++b;
      bits_.push_back(b);
      total_bits_ += b;
    }
  }
  [[nodiscard]] bool usable() const { return total_bits_ <= 64; }
  int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) override {
    if (preferred) return inner_.evaluate(state, preferred);
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < bits_.size(); ++i) key = (key << bits_[i]) | state[i];
    auto [it, fresh] = memo_.try_emplace(key, 0);
    if (fresh) it->second = inner_.evaluate(state, nullptr);
    return it->second;
  }
  [[nodiscard]] bool admissible() const override { return inner_.admissible(); }
  [[nodiscard]] std::string_view name() const override { return inner_.name(); }

 private:
  search::Heuristic& inner_;
  std::vector<std::uint32_t> bits_;
  std::uint32_t total_bits_ = 0;
  std::unordered_map<std::uint64_t, int> memo_;
};

int run_soldier(const Args& a) {
  const std::string hname = a.str("heuristic", "lmcut");
  const long iterations = std::max(a.num("iterations", 200000), 10L);
  const long expect_cost = a.num("expect-cost", 4);
  auto l = load_world(a.world);
  const model::World& w = l->world;
  model::GoalId goal = model::GoalId::from(0);
  if (auto g = a.str("goal", ""); !g.empty()) {
    auto it = w.goal_index.find(g);
    if (it == w.goal_index.end()) usage(("no goal named " + g).c_str());
    goal = it->second;
  }
  const model::State state = w.initial_state();
  const ground::Domain domain = ground_or_die(w, state);
  const ground::GoalInstance gi = ground::instantiate_goal(w, goal, state, true);
  ground::GoalTask gt = ground::make_goal_task(w, domain, gi);
  if (gt.statically_unsolvable) usage(("goal statically unsolvable: " + gt.unsolvable_reason).c_str());
  auto h = heuristics::make_heuristic(hname, gt.task);
  search::Searcher searcher(gt.task);
  const search::SearchConfig config = search::SearchConfig::astar();

  std::printf("mode: soldier\nworld: %s\nheuristic: %s (A*)\n", a.world.c_str(), hname.c_str());
  std::printf("task: %zu variables, %zu operators\n", gt.task.variables.size(), gt.task.operators.size());

  long bad = 0;
  auto check = [&](const search::SearchResult& r) {
    if (r.status != search::SearchStatus::solved || r.plan.cost != expect_cost) ++bad;
  };

  // Warm-up: the first solves size every buffer; afterwards solving allocates nothing.
  for (int i = 0; i < 2000; ++i) check(searcher.solve(*h, config));
  const search::SearchResult first = searcher.solve(*h, config);
  std::string plan_text;
  for (ground::OpId op : first.plan.steps)
    plan_text += (plan_text.empty() ? "" : ", ") + gt.task.operators[op.index()].name;
  std::printf("plan: %s (cost %lld)\n", plan_text.c_str(), static_cast<long long>(first.plan.cost));
  std::printf("per solve: %llu expanded, %llu generated, %llu evaluated, %zu states stored\n",
              static_cast<unsigned long long>(first.stats.expanded),
              static_cast<unsigned long long>(first.stats.generated),
              static_cast<unsigned long long>(first.stats.evaluated), first.stats.states);
  // The packed state only; the search also keeps a side-table node (g, h, parent, operator) and a
  // hash slot per state, counted in memory_bytes with their reserved capacity.
  std::printf("bytes_per_state: %zu (packed; search memory incl. reserved capacity: %zu B)\n",
              first.stats.bytes_per_state, first.stats.memory_bytes);

  // Timed: batches of back-to-back solves; the median batch is the figure.
  const long batches = 11;
  const long per_batch = std::max(iterations / batches, 1L);
  std::vector<double> us_per_plan;
  std::uint64_t expanded = 0;
  double total_s = 0;
  for (long b = 0; b < batches; ++b) {
    const auto t0 = Clock::now();
    for (long i = 0; i < per_batch; ++i) {
      const search::SearchResult& r = searcher.solve(*h, config);
      expanded += r.stats.expanded;
      check(r);
    }
    const double ms = ms_since(t0);
    total_s += ms / 1e3;
    us_per_plan.push_back(ms * 1e3 / static_cast<double>(per_batch));
  }
  std::printf("solves: %ld (%ld batches of %ld, after 2000 warm-up)\n", batches * per_batch, batches, per_batch);
  std::printf("us_per_plan: %.3f (median batch; min %.3f, max %.3f)\n", median(us_per_plan),
              *std::min_element(us_per_plan.begin(), us_per_plan.end()),
              *std::max_element(us_per_plan.begin(), us_per_plan.end()));
  std::printf("expansions_per_s: %.0f\n", static_cast<double>(expanded) / total_s);
  {
    // One heuristic evaluation of the initial state, alone: what each evaluated state costs.
    const long n = std::max(iterations, 1000L);
    int sink = 0;
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) sink += h->evaluate(gt.task.initial.data(), nullptr);
    const double ns = ms_since(t0) * 1e6 / static_cast<double>(n);
    std::printf("ns_per_evaluation: %.1f (h(initial) = %d)\n", ns, sink / static_cast<int>(n));
  }

  {
    MemoHeuristic memo(*h, gt.task);
    if (memo.usable()) {
      for (int i = 0; i < 2000; ++i) check(searcher.solve(memo, config));
      std::vector<double> us;
      for (long b = 0; b < batches; ++b) {
        const auto t0 = Clock::now();
        for (long i = 0; i < per_batch; ++i) check(searcher.solve(memo, config));
        us.push_back(ms_since(t0) * 1e3 / static_cast<double>(per_batch));
      }
      std::printf("us_per_plan_memo_h: %.3f (prototype in this benchmark: h memoized by packed state across solves)\n",
                  median(us));
    }
  }

  // Replan on the same grounded task from a new initial state: the GOAP agent's loop when the
  // sensed change stays within the task's variables (here near_enemy flips; cost stays 4).
  std::optional<std::size_t> flip;
  for (std::size_t v = 0; v < gt.task.variables.size(); ++v)
    if (gt.task.variables[v].name == "near_enemy") flip = v;
  if (flip) {
    std::vector<double> us;
    const std::vector<std::uint32_t> initial = gt.task.initial;
    for (long b = 0; b < batches; ++b) {
      const auto t0 = Clock::now();
      for (long i = 0; i < per_batch; ++i) {
        gt.task.initial[*flip] = (gt.task.initial[*flip] + 1) % 2;
        check(searcher.solve(*h, config));
      }
      us.push_back(ms_since(t0) * 1e3 / static_cast<double>(per_batch));
    }
    gt.task.initial = initial;
    std::printf("us_per_replan_same_task: %.3f (new initial state written into the task, same Searcher)\n",
                median(us));
  }

  // The whole in-process replan from a new model state: nothing reused but the loaded World.
  {
    model::State s2 = state;
    const model::GroundTerm near{w.fact_index.at("near_enemy"), {}};
    const model::FactDecl& near_decl = w.fact(near.fact);
    const long n = std::max(iterations / 20, 11L);
    const long per = std::max(n / batches, 1L);
    std::vector<double> us;
    for (long b = 0; b < batches; ++b) {
      const auto t0 = Clock::now();
      for (long i = 0; i < per; ++i) {
        s2.set(near, (s2.value(near, near_decl) + 1) % 2, near_decl);
        const ground::Domain d = ground_or_die(w, s2);
        const ground::GoalInstance g2 = ground::instantiate_goal(w, goal, s2, true);
        const ground::GoalTask t2 = ground::make_goal_task(w, d, g2);
        auto h2 = heuristics::make_heuristic(hname, t2.task);
        search::Searcher s(t2.task);
        check(s.solve(*h2, config));
      }
      us.push_back(ms_since(t0) * 1e3 / static_cast<double>(per));
    }
    std::printf("us_per_replan_whole: %.3f (ground + goal task + heuristic + Searcher + solve, from a new model::State)\n",
                median(us));
  }
  std::printf("cost_check: %s (%ld solves with a cost other than %ld)\n", bad == 0 ? "ok" : "FAILED", bad,
              expect_cost);
  return bad == 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// world: exec::decide latency, and where its time goes.

int run_world(const Args& a) {
  const long iterations = std::max(a.num("iterations", 200), 1L);
  auto l = load_world(a.world);
  const model::World& w = l->world;
  const model::State state = state_with(*l, a.str("state", ""));
  exec::PlannerOptions o;
  o.threads = static_cast<int>(a.num("threads", 0));
  o.heuristic = a.str("heuristic", "");

  exec::PlanningError err;
  std::optional<exec::Decision> d;
  for (int i = 0; i < 3; ++i) d = exec::decide(w, state, o, &err);  // warm-up (TBB's workers start)
  if (!d) usage(("decide failed: " + err.message).c_str());
  std::vector<double> wall, ground_ms;
  for (long i = 0; i < iterations; ++i) {
    const auto t0 = Clock::now();
    d = exec::decide(w, state, o, &err);
    wall.push_back(ms_since(t0));
    ground_ms.push_back(d->grounding.ms);
  }

  std::printf("mode: world\nworld: %s\n", a.world.c_str());
  std::printf("objects: %zu, facts: %zu, actions: %zu, goals: %zu\n", w.objects.size(), w.facts.size(),
              w.actions.size(), w.goals.size());
  std::vector<double> reloads;
  for (int i = 0; i < 5; ++i) reloads.push_back(load_world(a.world)->load_ms);
  std::printf("load_ms: %.3f first (as in a fresh goap process), %.3f median of 5 more (YAML read + parse + resolve)\n",
              l->load_ms, median(reloads));
  std::printf("bindings: %llu, operators_built: %llu\n", static_cast<unsigned long long>(d->grounding.bindings),
              static_cast<unsigned long long>(d->grounding.operators_built));
  std::printf("operators: %llu\nvariables: %zu\n", static_cast<unsigned long long>(d->grounding.operators_kept),
              d->grounding.variables);
  std::size_t planned = 0;
  std::uint64_t expanded = 0;
  for (const auto& g : d->goals) {
    planned += g.status == exec::GoalStatus::plan || g.status == exec::GoalStatus::unsolvable ||
               g.status == exec::GoalStatus::limit;
    expanded += g.expanded;
  }
  const exec::GoalOutcome* chosen = d->chosen >= 0 ? &d->goals[static_cast<std::size_t>(d->chosen)] : nullptr;
  std::printf("decision: %s, goal %s, cost %lld, %zu goals searched, %llu expanded\n", exec::to_string(d->status),
              chosen ? w.goal(chosen->goal).name.c_str() : "-", chosen ? chosen->cost : 0LL, planned,
              static_cast<unsigned long long>(expanded));
  std::printf("threads: %d (0 = all %u cores)\n", o.threads, std::thread::hardware_concurrency());
  std::printf("decide_ms_median: %.3f\ndecide_ms_p95: %.3f\ndecide_ms_min: %.3f\n", median(wall),
              percentile(wall, 0.95), *std::min_element(wall.begin(), wall.end()));
  std::printf("ground_ms_median: %.3f\n", median(ground_ms));

  // The same work as decide, sequential, stage by stage (one pass; medians over a few passes).
  const std::string hname = d->heuristic;
  std::vector<double> st_ground, st_inst, st_task, st_heur, st_search;
  for (int pass = 0; pass < std::max(3L, std::min(iterations, 25L)); ++pass) {
    auto t0 = Clock::now();
    const ground::Domain dom = ground_or_die(w, state);
    st_ground.push_back(ms_since(t0));
    t0 = Clock::now();
    std::vector<ground::GoalInstance> gis;
    for (std::size_t i = 0; i < w.goals.size(); ++i)
      gis.push_back(ground::instantiate_goal(w, model::GoalId::from(i), state, false));
    st_inst.push_back(ms_since(t0));
    double tt = 0, th = 0, ts = 0;
    for (const auto& gi : gis) {
      if (gi.status != ground::GoalInstance::Status::open) continue;
      t0 = Clock::now();
      const ground::GoalTask gt = ground::make_goal_task(w, dom, gi);
      tt += ms_since(t0);
      if (gt.statically_unsolvable) continue;
      t0 = Clock::now();
      auto h = heuristics::make_heuristic(hname, gt.task);
      th += ms_since(t0);
      t0 = Clock::now();
      search::Searcher s(gt.task);
      search::SearchLimits lim;
      lim.max_expansions = o.max_expansions;
      lim.max_ms = o.max_ms;
      s.solve(*h, search::SearchConfig::astar(), lim);
      ts += ms_since(t0);
    }
    st_task.push_back(tt);
    st_heur.push_back(th);
    st_search.push_back(ts);
  }
  std::printf("stage_ms: ground %.3f, instantiate goals %.3f, goal tasks %.3f, heuristics %.3f, searches %.3f "
              "(sequential, medians)\n",
              median(st_ground), median(st_inst), median(st_task), median(st_heur), median(st_search));
  std::printf("peak_rss_kb: %ld\n", peak_rss_kb());
  return 0;
}

// ---------------------------------------------------------------------------------------------
// scaling: independent goal searches on 1 and 2 threads.

struct Job {
  const ground::Domain* domain;
  ground::GoalInstance goal;
};

int run_scaling(const Args& a) {
  const std::string hname = a.str("heuristic", "lmcut");
  const double min_ms = static_cast<double>(a.num("min-ms", 400));
  const long runs = std::max(a.num("runs", 5), 1L);
  auto l = load_world(a.world);
  const model::World& w = l->world;

  std::vector<std::string> files{""};  // "" = the world's own state
  if (auto dir = a.str("state-dir", ""); !dir.empty()) {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".yaml" || e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin() + 1, files.end());
  }
  std::vector<std::unique_ptr<ground::Domain>> domains;
  std::vector<Job> jobs;
  for (const std::string& f : files) {
    const model::State s = state_with(*l, f);
    domains.push_back(std::make_unique<ground::Domain>(ground_or_die(w, s)));
    for (std::size_t i = 0; i < w.goals.size(); ++i) {
      // Every goal, `when` or not: more independent work per state.
      ground::GoalInstance gi = ground::instantiate_goal(w, model::GoalId::from(i), s, true);
      if (gi.status == ground::GoalInstance::Status::open) jobs.push_back({domains.back().get(), std::move(gi)});
    }
  }
  if (jobs.empty()) usage("no open goal in any state: nothing to plan");

  // One job: what exec::decide does per goal (goal task, heuristic, searcher, solve).
  auto plan = [&](const Job& j) -> long long {
    const ground::GoalTask gt = ground::make_goal_task(w, *j.domain, j.goal);
    if (gt.statically_unsolvable) return -1;
    auto h = heuristics::make_heuristic(hname, gt.task);
    search::Searcher s(gt.task);
    const search::SearchResult& r = s.solve(*h);
    return r.status == search::SearchStatus::solved ? static_cast<long long>(r.plan.cost) : -2;
  };
  auto batch = [&](std::size_t n, std::vector<long long>& out) {
    out.assign(n, 0);
    const auto t0 = Clock::now();
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { out[i] = plan(jobs[i % jobs.size()]); });
    return ms_since(t0);
  };

  // Calibrate on one thread: repeat the job list until a run takes at least min_ms.
  std::vector<long long> costs1, costs2;
  std::size_t n = jobs.size();
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    double ms = batch(n, costs1);
    while (ms < min_ms) {
      n = static_cast<std::size_t>(static_cast<double>(n) * std::clamp(1.2 * min_ms / std::max(ms, 0.01), 1.5, 100.0));
      ms = batch(n, costs1);
    }
  }
  double gps[3] = {0, 0, 0}, busy[3] = {0, 0, 0};
  std::vector<double> ms_at[3];
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    std::vector<long long>& costs = threads == 1 ? costs1 : costs2;
    batch(n, costs);  // warm-up
    const double cpu0 = cpu_s();
    double wall_ms = 0;
    for (long r = 0; r < runs; ++r) {
      ms_at[threads].push_back(batch(n, costs));
      wall_ms += ms_at[threads].back();
    }
    // CPU seconds per wall second: ~2 when both workers really ran; well below 2 at 2 threads
    // means the machine did not give us two cores (other load) or the workers waited.
    busy[threads] = (cpu_s() - cpu0) / (wall_ms / 1e3);
    gps[threads] = static_cast<double>(n) / (median(ms_at[threads]) / 1e3);
  }
  const bool same = costs1 == costs2;
  std::printf("mode: scaling\nworld: %s\nstates: %zu, open goals: %zu, heuristic: %s (A*)\n", a.world.c_str(),
              files.size(), jobs.size(), hname.c_str());
  std::printf("batch: %zu goal searches per run (job list repeated), %ld runs per thread count\n", n, runs);
  std::printf("ms_per_run_1_thread: %.1f\nms_per_run_2_threads: %.1f\n", median(ms_at[1]), median(ms_at[2]));
  std::printf("goals_per_s_1_thread: %.0f\ngoals_per_s_2_threads: %.0f\n", gps[1], gps[2]);
  std::printf("scaling_ratio: %.2f\n", gps[2] / gps[1]);
  std::printf("cpu_per_wall_1_thread: %.2f\ncpu_per_wall_2_threads: %.2f\n", busy[1], busy[2]);
  std::printf("same_answers: %s\n", same ? "yes" : "NO");
  std::printf("hardware_threads: %u\n", std::thread::hardware_concurrency());
  return same ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse_args(argc, argv);
  try {
    if (a.mode == "soldier") return run_soldier(a);
    if (a.mode == "world") return run_world(a);
    if (a.mode == "scaling") return run_scaling(a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_plan: %s\n", e.what());
    return 2;
  }
  usage(("unknown mode '" + a.mode + "'").c_str());
}
