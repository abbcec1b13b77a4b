#include "exec/memory.h"

#include <algorithm>
#include <functional>
#include <map>

namespace goap::exec {
namespace {

std::string action_of(const std::string& ground) { return ground.substr(0, ground.find('(')); }

const model::ActionBudget* budget_of(const model::World& w, const std::string& action) {
  auto it = w.action_index.find(action);
  if (it == w.action_index.end()) return nullptr;
  const auto& b = w.action(it->second).budget;
  return b ? &*b : nullptr;
}

// Steps in the longest window, grouped by ground action.
std::map<std::pair<std::string, std::string>, std::vector<Clock::time_point>> starts_by_ground(
    Journal& journal, const std::string& world_path, std::chrono::milliseconds longest, Clock::time_point now) {
  std::map<std::pair<std::string, std::string>, std::vector<Clock::time_point>> out;
  for (const StepStart& s : journal.steps_since(world_path, iso_utc(now - longest)))
    if (auto t = parse_iso_utc(s.started)) out[{s.world_path, s.action}].push_back(*t);
  return out;
}

// "16:42:10Z" within a day, else "2026-12-04T16:42:10Z".
std::string until_text(Clock::time_point t, Clock::time_point now) {
  std::string s = iso_utc(t);
  s = s.substr(0, s.find('.')) + "Z";
  return t - now < std::chrono::hours(24) ? s.substr(s.find('T') + 1) : s;
}

}  // namespace

BudgetUse count_window(std::vector<Clock::time_point> starts, int max, std::chrono::milliseconds per,
                       Clock::time_point now) {
  BudgetUse u;
  u.max = max;
  u.per = per;
  std::sort(starts.begin(), starts.end());
  // Counted while now < start + per; a start in the future (a clock set back) counts too.
  starts.erase(std::remove_if(starts.begin(), starts.end(), [&](Clock::time_point s) { return now >= s + per; }),
               starts.end());
  u.used = static_cast<int>(starts.size());
  if (starts.empty()) return u;
  u.oldest = starts.front();
  u.frees_at = u.used >= max ? starts[static_cast<std::size_t>(u.used - max)] + per : u.oldest + per;
  return u;
}

std::vector<BudgetUse> budget_uses(const model::World& world, Journal& journal, const std::string& world_path,
                                   Clock::time_point now) {
  std::chrono::milliseconds longest{0};
  for (const model::Action& a : world.actions)
    if (a.budget) longest = std::max(longest, a.budget->per);
  std::vector<BudgetUse> out;
  if (longest.count() == 0) return out;
  for (auto& [key, starts] : starts_by_ground(journal, world_path, longest, now)) {
    const model::ActionBudget* b = budget_of(world, action_of(key.second));
    if (b == nullptr) continue;
    BudgetUse u = count_window(std::move(starts), b->max, b->per, now);
    if (u.used == 0) continue;
    u.ground = key.second;
    u.action = action_of(key.second);
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<BudgetUse> exhausted_budgets(const model::World& world, Journal& journal, const std::string& world_path,
                                         Clock::time_point now) {
  std::vector<BudgetUse> out = budget_uses(world, journal, world_path, now);
  out.erase(std::remove_if(out.begin(), out.end(), [](const BudgetUse& u) { return !u.exhausted(); }), out.end());
  return out;
}

std::vector<WorldBudgetUse> recorded_budget_uses(Journal& journal, Clock::time_point now) {
  std::map<std::pair<std::string, std::string>, BudgetRow> budgets;
  std::chrono::milliseconds longest{0};
  for (const BudgetRow& b : journal.budgets()) {
    budgets[{b.world_path, b.action}] = b;
    longest = std::max(longest, std::chrono::milliseconds(b.per_ms));
  }
  std::vector<WorldBudgetUse> out;
  if (longest.count() == 0) return out;
  for (auto& [key, starts] : starts_by_ground(journal, "", longest, now)) {
    auto it = budgets.find({key.first, action_of(key.second)});
    if (it == budgets.end()) continue;
    BudgetUse u = count_window(std::move(starts), it->second.max, std::chrono::milliseconds(it->second.per_ms), now);
    if (u.used == 0) continue;
    u.ground = key.second;
    u.action = it->second.action;
    out.push_back(WorldBudgetUse{key.first, std::move(u)});
  }
  return out;
}

void save_world_budgets(const model::World& world, Journal& journal, const std::string& world_path) {
  std::vector<BudgetRow> rows;
  for (const model::Action& a : world.actions)
    if (a.budget) rows.push_back(BudgetRow{world_path, a.name, a.budget->max, a.budget->per.count()});
  journal.save_budgets(world_path, rows);
}

std::string exhausted_text(const BudgetUse& u, Clock::time_point now) {
  return u.ground + ": budget " + std::to_string(u.max) + " per " + model::duration_text(u.per) + " used up until " +
         until_text(u.frees_at, now);
}

bool held_for(const std::vector<Stretch>& newest_first, const std::function<bool(const std::string&)>& satisfies,
              std::chrono::milliseconds d, Clock::time_point now) {
  if (newest_first.empty() || !newest_first.front().this_run || !satisfies(newest_first.front().value)) return false;
  Clock::time_point earliest = newest_first.front().first;
  for (std::size_t i = 1; i < newest_first.size() && satisfies(newest_first[i].value); ++i)
    earliest = std::min(earliest, newest_first[i].first);
  return earliest <= now - d;
}

std::chrono::milliseconds longest_for(const model::World& world) {
  std::chrono::milliseconds longest{0};
  for (const model::Action& a : world.actions)
    for (const model::Condition& c : a.pre) longest = std::max(longest, c.held_for);
  for (const model::Goal& g : world.goals)
    for (const model::Condition& c : g.when) longest = std::max(longest, c.held_for);
  return longest;
}

void remember_readings(const model::World& world, Journal& journal, const std::string& world_path, std::int64_t run,
                       const std::vector<Reading>& readings) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Reading& r : readings)
    if (r.ok) rows.emplace_back(world.term_name(r.term), world.fact(r.term.fact).value_name(r.value));
  if (rows.empty()) return;
  journal.record_readings(world_path, run, rows, longest_for(world) + std::chrono::hours(24));
}

model::HeldFacts gather_evidence(const model::World& world, Journal* journal, const std::string& world_path,
                                 std::int64_t run, const std::vector<Reading>& current, Clock::time_point now) {
  model::HeldFacts held;
  if (longest_for(world).count() == 0) return held;
  std::map<std::string, std::vector<Stretch>> by_fact;
  if (journal != nullptr)
    for (const ReadingRow& r : journal->readings(world_path)) {
      auto first = parse_iso_utc(r.first_seen), last = parse_iso_utc(r.last_seen);
      if (!first || !last) continue;
      by_fact[r.fact].push_back(Stretch{r.value, *first, *last, run != 0 && r.run_id == run});
    }
  if (run == 0)  // a dry run records nothing: what it just sensed is this run's newest reading
    for (const Reading& r : current)
      if (r.ok) {
        auto& v = by_fact[world.term_name(r.term)];
        v.insert(v.begin(), Stretch{world.fact(r.term.fact).value_name(r.value), now, now, true});
      }

  const auto consider = [&](const model::Condition& c, const std::vector<model::Param>& params) {
    if (c.held_for.count() == 0) return;
    const model::FactDecl& decl = world.fact(c.term.fact);
    // Bind the parameters the term uses, over every object of their types.
    std::vector<model::ObjectId> binding(params.size(), model::ObjectId::from(0));
    std::vector<std::uint32_t> used;
    for (const model::Arg& a : c.term.args)
      if (a.kind == model::Arg::Kind::param && std::find(used.begin(), used.end(), a.index) == used.end())
        used.push_back(a.index);
    const auto satisfies = [&](const std::string& value) {
      auto idx = to_index(decl, value);
      return idx && c.holds(*idx);
    };
    std::function<void(std::size_t)> visit = [&](std::size_t k) {
      if (k == used.size()) {
        const model::GroundTerm t = model::bind_term(c.term, binding);
        auto it = by_fact.find(world.term_name(t));
        if (it != by_fact.end() && held_for(it->second, satisfies, c.held_for, now)) held.add(t, c);
        return;
      }
      for (model::ObjectId o : world.objects_of(params[used[k]].type)) {
        binding[used[k]] = o;
        visit(k + 1);
      }
    };
    visit(0);
  };
  for (const model::Action& a : world.actions)
    for (const model::Condition& c : a.pre) consider(c, a.params);
  for (const model::Goal& g : world.goals)
    for (const model::Condition& c : g.when) consider(c, g.forall);
  return held;
}

}  // namespace goap::exec
