// `goap explain WORLD [--goal G] [--without ACTION]`: why there is no plan, or what a plan relies on.
//
// The analysis lives in export/explain.h; this file decides what to explain and prints it, as
// text for people or (--json) one document for agents. Exit codes as for `goap plan`.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/input.h"
#include "core/names.h"
#include "exec/goal_planner.h"
#include "export/explain.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;

struct Style {
  const char* bold = "";
  const char* dim = "";
  const char* red = "";
  const char* green = "";
  const char* yellow = "";
  const char* reset = "";
};

Style style_for(bool color) {
  if (!color) return {};
  return Style{"\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"};
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// "steps 2, 3 and the goal", "the goal", "step 3".
std::string consumers_text(const std::vector<int>& who) {
  std::vector<std::string> steps;
  bool goal = false;
  for (int w : who) {
    if (w == exporting::kGoalConsumer) goal = true;
    else steps.push_back(std::to_string(w));
  }
  std::string s;
  if (!steps.empty()) {
    s = steps.size() == 1 ? "step " : "steps ";
    for (std::size_t i = 0; i < steps.size(); ++i) s += (i == 0 ? "" : i + 1 == steps.size() && !goal ? " and " : ", ") + steps[i];
  }
  if (goal) s += s.empty() ? "the goal" : " and the goal";
  return s;
}

json consumers_json(const std::vector<int>& who) {
  json a = json::array();
  for (int w : who) a.push_back(w == exporting::kGoalConsumer ? json("goal") : json(w));
  return a;
}

// Settings shared by every planning call of one `explain`: the plan options, tracking progress.
exec::PlannerOptions explain_options(const PlanOptions& o) {
  exec::PlannerOptions po = planner_options(o);
  po.track_progress = true;
  return po;
}

// ---- why no plan ---------------------------------------------------------------------------

class WhyPrinter {
 public:
  WhyPrinter(const exporting::RelaxedAnalysis& a, const Style& st) : a_(a), st_(st) {}

  // Up to kShownLevels conditions deep; the missing pieces below name what lies further down.
  static constexpr int kShownLevels = 4;

  void print_node(std::size_t id, int indent, int level = 1) {
    const exporting::Unreachable& u = a_.nodes[id];
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (printed_.count(id) != 0) {
      std::printf("%s%s (see above)\n", pad.c_str(), u.condition.c_str());
      return;
    }
    if (level > kShownLevels) {
      std::printf("%s%s %s(now %s; deeper causes: see the missing pieces)%s\n", pad.c_str(), u.condition.c_str(), st_.dim,
                  u.now.c_str(), st_.reset);
      return;
    }
    printed_.insert(id);
    std::printf("%s%s%s%s %s(now %s)%s", pad.c_str(), st_.bold, u.condition.c_str(), st_.reset, st_.dim,
                u.now.c_str(), st_.reset);
    if (!u.explored) {
      std::printf(" (not followed further)\n");
      return;
    }
    if (u.producers.empty()) {
      std::printf(": %snothing can make it hold%s\n", st_.red, st_.reset);
    } else {
      std::printf("\n");
    }
    for (const auto& p : u.producers) {
      if (p.blocked.empty()) {
        std::printf("%s  %s can run, but never reaches it from the values the fact can take\n", pad.c_str(), p.action.c_str());
        continue;
      }
      std::printf("%s  %s would make it %s, but needs:\n", pad.c_str(), p.action.c_str(),
                  !u.is_bool ? "hold" : u.wants_true ? "true" : "false");
      for (std::size_t b : p.blocked) print_node(b, indent + 4, level + 1);
    }
    if (u.ruled_out > 0) {
      std::printf("%s  %spossible in principle, but ruled out by the world's layout: %s%s%s\n", pad.c_str(), st_.dim,
                  u.ruled_out_examples.front().c_str(),
                  u.ruled_out > 1 ? (" (and " + std::to_string(u.ruled_out - 1) + " more)").c_str() : "", st_.reset);
    }
  }

 private:
  const exporting::RelaxedAnalysis& a_;
  const Style& st_;
  std::set<std::size_t> printed_;
};

json why_json(const model::World& w, const model::State& s, const exec::GoalOutcome& g,
              const exporting::RelaxedAnalysis& a, const std::vector<exporting::DropOne>& drops) {
  json j;
  j["reason"] = g.reason;
  json nodes = json::array();
  for (const auto& u : a.nodes) {
    json producers = json::array();
    for (const auto& p : u.producers) {
      json blocked = json::array();
      for (std::size_t b : p.blocked) blocked.push_back(a.nodes[b].condition);
      producers.push_back(json{{"action", p.action}, {"needs", blocked}});
    }
    json n{{"condition", u.condition}, {"fact", u.fact}, {"now", u.now}, {"external", u.external}, {"producers", producers}};
    if (u.ruled_out) n["ruled_out_by_layout"] = u.ruled_out_examples;
    nodes.push_back(std::move(n));
  }
  json unreachable = json::array();
  for (std::size_t id : a.wanted) unreachable.push_back(a.nodes[id].condition);
  json missing = json::array();
  for (std::size_t id : a.missing) missing.push_back(exporting::missing_piece_text(a.nodes[id]));
  j["unreachable_wanted"] = unreachable;
  j["missing"] = missing;
  j["conditions"] = nodes;
  if (!drops.empty()) {
    json d = json::array();
    for (const auto& x : drops)
      d.push_back(x.solvable ? json{{"left_out", x.wanted}, {"solvable", true}, {"cost", x.cost}}
                             : json{{"left_out", x.wanted}, {"solvable", false}});
    j["leaving_one_out"] = d;
  }
  if (g.status == exec::GoalStatus::limit)
    j["search"] = json{{"expanded", g.expanded}, {"generated", g.generated}, {"states", g.states},
                       {"initial_h", g.initial_h}, {"best_h", g.best_h}, {"best_h_g", g.best_h_g}};
  (void)w;
  (void)s;
  return j;
}

void print_why(const model::World& w, const exec::GoalOutcome& g, const exporting::RelaxedAnalysis& a,
               const std::vector<exporting::DropOne>& drops, const std::string& heuristic, const Style& st) {
  const model::Goal& goal = w.goal(g.goal);
  const bool limit = g.status == exec::GoalStatus::limit;
  std::printf("%sgoal %s%s (priority %d): %s%s%s\n", st.bold, goal.name.c_str(), st.reset, goal.priority,
              limit ? st.yellow : st.red,
              !limit ? "no plan" : g.grounding_limit ? "a grounding limit was hit" : "a search limit was hit", st.reset);
  if (limit && g.grounding_limit) {
    std::printf("  Grounding stopped before the search could start: %s.\n", g.reason.c_str());
    std::printf("  Give the parameters narrower types or preconditions on facts no action changes, or try a larger "
                "--max-ms / --max-memory-mb.\n");
    return;
  }
  if (limit) {
    std::printf("  The search stopped at its %s after %llu expanded states (%llu generated, %zu stored, %.0f ms).\n",
                g.reason.substr(0, g.reason.find(" limit")).append(" limit").c_str(),
                static_cast<unsigned long long>(g.expanded), static_cast<unsigned long long>(g.generated), g.states, g.search_ms);
    if (g.best_h >= 0)
      std::printf("  Closest it got: an estimated %d still to go (h) after a cost of %lld (g); it started at h = %d.\n",
                  g.best_h, static_cast<long long>(g.best_h_g), g.initial_h);
    if (heuristic == "lmcut" || heuristic == "hmax" || heuristic == "blind")
      std::printf("  %s is admissible, so any plan costs at least %d.\n", heuristic.c_str(), g.initial_h);
    std::printf("  Try a larger --max-expansions / --max-ms / --max-memory-mb, or --search gbfs for a quick plan that may cost more.\n");
    return;
  }
  if (!g.reason.empty()) std::printf("  %splanner: %s%s\n", st.dim, g.reason.c_str(), st.reset);
  if (a.truncated)
    std::printf("  (the world has over %zu ground actions; only the first were analysed)\n", exporting::kMaxBindings);
  if (a.wanted.empty()) {
    std::printf("  Every wanted fact can be reached on its own when delete effects are ignored, so the obstacle is how\n"
                "  the actions interact: some undo or block what others need.\n");
    if (!drops.empty()) {
      std::printf("  Leaving out one wanted fact at a time:\n");
      for (const auto& d : drops) {
        if (d.solvable)
          std::printf("    without %s%s%s: %sa plan exists%s (cost %lld)\n", st.bold, d.wanted.c_str(), st.reset, st.green,
                      st.reset, d.cost);
        else
          std::printf("    without %s%s%s: still no plan\n", st.bold, d.wanted.c_str(), st.reset);
      }
    }
    return;
  }
  std::printf("  Even ignoring delete effects, %zu of %s stay%s out of reach:\n", a.wanted.size(),
              plural(a.wanted_total, "wanted fact", "wanted facts").c_str(), a.wanted.size() == 1 ? "s" : "");
  WhyPrinter p(a, st);
  for (std::size_t id : a.wanted) p.print_node(id, 4);
  if (!a.missing.empty()) {
    std::printf("  %s%s:%s\n", st.bold, a.missing.size() == 1 ? "The missing piece" : "The missing pieces", st.reset);
    for (std::size_t id : a.missing) std::printf("    %s\n", exporting::missing_piece_text(a.nodes[id]).c_str());
  } else {
    std::printf("  These facts need each other and none of them can start the chain: one of them must hold first.\n");
  }
}

// ---- what a plan relies on -------------------------------------------------------------------

void print_plan(const model::World& w, const exec::GoalOutcome& g, const exporting::PlanExplanation& e, bool optimal,
                const Style& st) {
  const model::Goal& goal = w.goal(g.goal);
  std::printf("%sgoal %s%s (priority %d): %s, cost %lld%s\n", st.bold, goal.name.c_str(), st.reset, goal.priority,
              plural(g.plan.size(), "step", "steps").c_str(), g.cost, optimal ? " (optimal)" : " (satisficing: may not be optimal)");
  std::size_t width = 0;
  for (const auto& s : e.steps)
    for (const auto& l : s.supports) width = std::max(width, l.condition.size());
  for (std::size_t i = 0; i < e.steps.size(); ++i) {
    const auto& s = e.steps[i];
    std::printf("  %s%2zu. %s%s  cost %d%s%s%s\n", st.bold, i + 1, s.name.c_str(), st.reset, s.cost, s.approval ? st.yellow : "",
                s.approval ? "  [needs approval]" : "", st.reset);
    for (const auto& l : s.supports)
      std::printf("        gives %-*s -> %s\n", static_cast<int>(width), l.condition.c_str(), consumers_text(l.consumers).c_str());
    for (const auto& u : s.undoes)
      std::printf("        %sclears %s, which %s need%s: step %d restores it%s\n", st.dim, u.condition.c_str(),
                  consumers_text(u.needed_by).c_str(), u.needed_by.size() == 1 ? "s" : "",
                  u.restored_by, st.reset);
    if (s.supports.empty())
      std::printf("        %s(nothing later relies on it)%s\n", st.yellow, st.reset);
    else if (!s.dependents.empty())
      std::printf("        %slater steps that depend on it: %s%s\n", st.dim,
                  consumers_text(s.dependents).substr(s.dependents.size() == 1 ? 5 : 6).c_str(), st.reset);
  }
  if (!e.from_start.empty()) {
    std::size_t start_width = 0;
    for (const auto& l : e.from_start) start_width = std::max(start_width, l.condition.size());
    std::printf("  %sFrom the start:%s\n", st.dim, st.reset);
    for (const auto& l : e.from_start)
      std::printf("        %-*s -> %s\n", static_cast<int>(start_width), l.condition.c_str(), consumers_text(l.consumers).c_str());
  }
  if (e.layout_conditions > 0)
    std::printf("  %s(and %s on facts no action changes: the world's layout)%s\n", st.dim,
                plural(e.layout_conditions, "condition", "conditions").c_str(), st.reset);
}

json plan_json(const exec::GoalOutcome& g, const exporting::PlanExplanation& e) {
  json steps = json::array();
  for (std::size_t i = 0; i < e.steps.size(); ++i) {
    const auto& s = e.steps[i];
    json supports = json::array(), undoes = json::array();
    for (const auto& l : s.supports) supports.push_back(json{{"condition", l.condition}, {"to", consumers_json(l.consumers)}});
    for (const auto& u : s.undoes)
      undoes.push_back(json{{"condition", u.condition}, {"needed_by", consumers_json(u.needed_by)}, {"restored_by", u.restored_by}});
    steps.push_back(json{{"step", i + 1}, {"action", s.name}, {"cost", s.cost}, {"approval", s.approval},
                         {"supports", supports}, {"undoes", undoes}, {"dependents", s.dependents}, {"goal_depends", s.goal_depends}});
  }
  json from_start = json::array();
  for (const auto& l : e.from_start) from_start.push_back(json{{"condition", l.condition}, {"to", consumers_json(l.consumers)}});
  return json{{"cost", g.cost}, {"steps", steps}, {"from_start", from_start}, {"layout_conditions", e.layout_conditions}};
}

// ---- --without ---------------------------------------------------------------------------

bool names_action(const model::World& w, const std::string& name, std::string* action) {
  std::string base = name.substr(0, name.find('('));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  *action = base;
  return w.action_index.count(base) != 0;
}

bool plan_uses(const exec::GoalOutcome& g, const std::string& without) {
  std::string want = without;
  want.erase(std::remove(want.begin(), want.end(), ' '), want.end());
  for (const auto& s : g.plan) {
    std::string n = s.name;
    n.erase(std::remove(n.begin(), n.end(), ' '), n.end());
    if (n == want || n.substr(0, n.find('(')) == want) return true;
  }
  return false;
}

}  // namespace

int run_explain(const ExplainOptions& o, const CommonOptions& common) {
  auto in = read_input(o.plan.world, o.plan.state_file, o.plan.set_lines, common);
  if (!in) return kInvalidInput;
  const model::World& w = in->world;
  exec::PlannerOptions po = explain_options(o.plan);
  if (!o.plan.goal.empty()) {
    auto it = w.goal_index.find(o.plan.goal);
    if (it == w.goal_index.end()) {
      std::vector<std::string> names;
      for (const auto& g : w.goals) names.push_back(g.name);
      const std::string hint = core::did_you_mean(o.plan.goal, names);
      std::fprintf(stderr, "goap: error: no goal named '%s' in %s\n%s", o.plan.goal.c_str(), o.plan.world.c_str(),
                   hint.empty() ? "" : ("  hint: " + hint + "\n").c_str());
      return kUsage;
    }
    po.only_goal = it->second;
  }
  std::string without_action;
  if (!o.without.empty() && !names_action(w, o.without, &without_action)) {
    std::vector<std::string> names;
    for (const auto& a : w.actions) names.push_back(a.name);
    const std::string hint = core::did_you_mean(without_action, names);
    std::fprintf(stderr, "goap: error: no action named '%s' in %s\n%s", without_action.c_str(), o.plan.world.c_str(),
                 hint.empty() ? "" : ("  hint: " + hint + "\n").c_str());
    return kUsage;
  }

  exec::PlanningError err;
  auto d = exec::decide(w, in->state, po, &err);
  if (!d) {
    std::fprintf(stderr, "goap: error: %s\n", err.message.c_str());
    return kInvalidInput;
  }
  const Style st = style_for(!o.json && isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  json out;
  out["format_version"] = 1;
  out["status"] = exec::to_string(d->status);
  json goals = json::array();

  const exec::GoalOutcome* chosen = d->chosen >= 0 ? &d->goals[static_cast<std::size_t>(d->chosen)] : nullptr;
  bool printed = false;
  if (chosen) {
    const exporting::PlanExplanation e = exporting::explain_plan(w, in->state, chosen->goal, chosen->plan);
    if (o.json) {
      goals.push_back(json{{"goal", w.goal(chosen->goal).name}, {"status", "plan"}, {"plan", plan_json(*chosen, e)}});
    } else {
      print_plan(w, *chosen, e, d->optimal, st);
      printed = true;
    }
  }
  for (const exec::GoalOutcome& g : d->goals) {
    if (g.status != exec::GoalStatus::unsolvable && g.status != exec::GoalStatus::limit) continue;
    exporting::RelaxedAnalysis a;
    std::vector<exporting::DropOne> drops;
    if (g.status == exec::GoalStatus::unsolvable) {
      a = exporting::analyse_relaxed(w, in->state, g.goal, po.without);
      if (a.wanted.empty()) drops = exporting::drop_one_wanted(w, in->state, g.goal, po.without);
    }
    if (o.json) {
      goals.push_back(json{{"goal", w.goal(g.goal).name}, {"status", exec::to_string(g.status)},
                           {"why", why_json(w, in->state, g, a, drops)}});
    } else {
      if (printed) std::printf("\n");
      print_why(w, g, a, drops, d->heuristic, st);
      printed = true;
    }
  }
  if (!printed && !o.json) {
    if (!o.plan.goal.empty())
      std::printf("goal %s is already met: nothing to explain\n", o.plan.goal.c_str());
    else
      std::printf("nothing to do: every relevant goal is met\n");
  }

  // --without: the best plan for the same goal that avoids the action.
  if (!o.without.empty() && chosen) {
    const std::string& goal_name = w.goal(chosen->goal).name;
    json wj{{"action", o.without}, {"goal", goal_name}};
    if (!plan_uses(*chosen, o.without)) {
      wj["in_plan"] = false;
      wj["status"] = "plan";
      wj["cost"] = chosen->cost;
      wj["extra_cost"] = 0;
      if (!o.json) std::printf("\n%s is not in the plan: avoiding it costs nothing extra.\n", o.without.c_str());
    } else {
      exec::PlannerOptions again = po;
      again.only_goal = chosen->goal;
      again.without = {o.without};
      auto d2 = exec::decide(w, in->state, again, &err);
      const exec::GoalOutcome* g2 = d2 && !d2->goals.empty() ? &d2->goals.front() : nullptr;
      wj["in_plan"] = true;
      if (g2 && g2->status == exec::GoalStatus::plan) {
        const long long extra = g2->cost - chosen->cost;
        json plan = json::array();
        for (const auto& s : g2->plan) plan.push_back(json{{"action", s.name}, {"cost", s.cost}});
        wj["status"] = "plan";
        wj["cost"] = g2->cost;
        wj["extra_cost"] = extra;
        wj["plan"] = plan;
        if (!o.json) {
          std::printf("\n%sWithout %s:%s the best plan for %s costs %lld (%s%lld), %s:\n", st.bold, o.without.c_str(), st.reset,
                      goal_name.c_str(), g2->cost, extra >= 0 ? "+" : "", extra, plural(g2->plan.size(), "step", "steps").c_str());
          for (std::size_t i = 0; i < g2->plan.size(); ++i)
            std::printf("  %2zu. %-44s cost %d\n", i + 1, g2->plan[i].name.c_str(), g2->plan[i].cost);
        }
      } else {
        wj["status"] = g2 ? exec::to_string(g2->status) : "unsolvable";
        const exporting::RelaxedAnalysis a = exporting::analyse_relaxed(w, in->state, chosen->goal, again.without);
        json missing = json::array();
        for (std::size_t id : a.missing) missing.push_back(exporting::missing_piece_text(a.nodes[id]));
        wj["missing"] = missing;
        if (!o.json) {
          std::printf("\n%sWithout %s:%s %s has no plan%s\n", st.bold, o.without.c_str(), st.reset, goal_name.c_str(),
                      g2 && g2->status == exec::GoalStatus::limit ? " within the search limits" : ": it is indispensable");
          for (std::size_t id : a.missing) std::printf("  %s\n", exporting::missing_piece_text(a.nodes[id]).c_str());
        }
      }
    }
    out["without"] = wj;
  } else if (!o.without.empty() && !o.json) {
    std::printf("\n(--without needs a plan to compare with; there is none)\n");
  }

  if (o.json) {
    out["goals"] = goals;
    std::printf("%s\n", out.dump(2).c_str());
  }
  return exit_code(d->status);
}

}  // namespace goap::cli
