// goap: the whole command line on one screen. Parses arguments (CLI11), sets up logging, and
// hands each subcommand to its run_* function (cmd_*.cc). Exit codes: FORMAT.md section 5.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/did_you_mean.h"
#include "cli/version.h"
#include "core/log.h"
#include "core/terminal_text.h"

namespace {

void add_common(CLI::App& app, goap::cli::CommonOptions& common) {
  app.add_flag("-v,--verbose", common.verbosity, "More detail on stderr (-v info, -vv debug, -vvv trace)");
  app.add_flag("--log-json", common.log_json, "Log as JSON lines on stderr");
}

// Every command that loads a world: `uses:` stays inside the world's tree unless let out here.
void add_allow_outside(CLI::App& cmd, goap::cli::CommonOptions& common) {
  cmd.add_option("--allow-outside", common.allow_outside,
                 "Let 'uses:' read files in this folder too, outside the world's own (repeatable)")
      ->take_all()
      ->allow_extra_args(false);
}

void add_state_options(CLI::App& cmd, std::string& state_file, std::vector<std::string>& set_lines) {
  cmd.add_option("--state", state_file, "A 'kind: state' file (YAML or JSON) overriding the world's state; '-' reads stdin (default: the world's own state)");
  cmd.add_option("--set", set_lines, "A state line such as 'disk_ok(hermes-vps)' or 'ollama_restarts = 2' (repeatable)")
      ->take_last()
      ->allow_extra_args(false);
}

void add_search_options(CLI::App& cmd, goap::cli::PlanOptions& o) {
  cmd.add_option("--search", o.search, "astar (optimal, default) | wastar | gbfs (satisficing)")
      ->check(CLI::IsMember({"astar", "wastar", "gbfs"}));
  cmd.add_option("--weight", o.weight, "Heuristic weight for --search wastar")->check(CLI::Range(1, 100));
  cmd.add_option("--heuristic", o.heuristic, "lmcut (default for astar) | hmax | blind | ff | add")
      ->check(CLI::IsMember({"lmcut", "hmax", "blind", "ff", "add"}));
  cmd.add_option("--threads", o.threads, "Worker threads for planning goals at once (0: all cores)")->check(CLI::Range(0, 1024));
  cmd.add_option("--max-expansions", o.max_expansions, "Search limit: expanded states per goal")->check(CLI::PositiveNumber);
  cmd.add_option("--max-ms", o.max_ms, "Search limit: milliseconds per goal")->check(CLI::PositiveNumber);
  cmd.add_option("--max-memory-mb", o.max_memory_mb, "Search limit: MiB of search memory per goal")->check(CLI::PositiveNumber);
}

// The long options `sub` takes, its parents' included (what a mistyped one is compared with).
std::vector<std::string> long_options(const CLI::App* sub) {
  std::vector<std::string> out;
  for (; sub != nullptr; sub = sub->get_parent())
    for (const CLI::Option* opt : sub->get_options())
      for (const std::string& name : opt->get_lnames()) out.push_back(name);
  return out;
}

// A usage error with a did-you-mean, before CLI11 says it less helpfully: a first word that
// is no subcommand, or an unknown long option of the subcommand given (or of goap itself, before
// it). Returns true when it printed one. Only flags come before the subcommand (-v, --log-json,
// --help, --version), so the first word that is no option names the subcommand.
bool mistyped(const CLI::App& app, int argc, char** argv) {
  using goap::cli::closest_names;
  using goap::cli::did_you_mean;
  using goap::core::terminal_safe;
  const CLI::App* sub = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return false;
    if (sub == nullptr && !arg.empty() && arg[0] != '-') {
      std::vector<std::string> names;
      for (const CLI::App* s : app.get_subcommands({})) {
        if (s->check_name(arg)) sub = s;
        names.push_back(s->get_name());
      }
      if (sub != nullptr) continue;
      const auto near = closest_names(arg, names);
      std::fprintf(stderr, "goap: error: no command '%s';%s\n", terminal_safe(arg).c_str(),
                   near.empty() ? " see 'goap --help'" : did_you_mean(near).c_str());
      return true;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    const std::string name = arg.substr(2, arg.find('=') - 2);
    const auto known = long_options(sub != nullptr ? sub : &app);
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const auto near = closest_names(name, known);
    if (near.empty()) return false;  // CLI11's own message names it
    std::fprintf(stderr, "goap%s%s: error: no option '--%s';%s\n", sub != nullptr ? " " : "",
                 sub != nullptr ? sub->get_name().c_str() : "", terminal_safe(name).c_str(), did_you_mean(near, "--").c_str());
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace goap::cli;
  CLI::App app{"goap: goal-oriented action planning for operators and agents"};
  app.require_subcommand(1);
  app.set_version_flag("--version", goap::cli::version_text(),
                       "Print the version, the plugin API version and the git commit, and exit (with --json: as JSON)");
  // `--help` shows every option's default (subcommands copy these when they are added).
  app.option_defaults()->always_capture_default();
  CommonOptions common;
  add_common(app, common);

  CheckOptions check;
  auto* c = app.add_subcommand("check", "Report authoring errors and warnings in goap files");
  c->add_option("files", check.files, "World, actions, goals or state files")->required()->check(CLI::ExistingFile);
  c->add_flag("--json", check.json, "Print the diagnostics as one JSON document on stdout");
  c->add_flag("--werror", check.warnings_as_errors, "Exit 3 on warnings too");
  c->add_option("--plugin-dir", check.plugin_dirs, "Also look for plugins here (repeatable)");
  c->add_flag("--no-plugins", check.no_plugins, "Do not check 'run:' sections against the installed plugins");

  PlanOptions plan;
  auto* p = app.add_subcommand("plan", "Plan toward a goal (the highest-priority relevant one by default)");
  p->add_option("world", plan.world, "The world file")->required();
  p->add_option("--goal", plan.goal, "Plan for this goal, whatever its 'when' says (default: the highest-priority relevant goal)");
  add_state_options(*p, plan.state_file, plan.set_lines);
  p->add_option("--format", plan.format, "text | json | dot | mermaid | html (a self-contained report)")
      ->check(CLI::IsMember({"text", "json", "dot", "mermaid", "html"}));
  p->add_flag_callback("--json", [&plan] { plan.format = "json"; }, "Short for --format json");
  add_search_options(*p, plan);
  p->add_flag("-q,--quiet", plan.quiet, "Print only the plan's actions, one a line");
  p->add_flag("--commands", plan.commands, "JSON: ask each step's plugin what it would run (the step's 'command'); runs nothing");
  p->add_option("--plugin-dir", plan.plugin_dirs, "Also look for plugins here (repeatable)");
  p->add_option("--search-tree", plan.search_tree, "Also show the first N search nodes with their g and h values")
      ->check(CLI::Range(1, 100000));

  PlanOptions next;
  next.is_next = true;
  next.format = "json";
  auto* n = app.add_subcommand("next", "JSON: the one action to do now toward the most important goal, and why");
  n->add_option("world", next.world, "The world file")->required();
  add_state_options(*n, next.state_file, next.set_lines);
  n->add_flag_callback("--json", [] {}, "Accepted for symmetry: next always prints JSON");
  add_search_options(*n, next);
  n->add_flag("--sense", next.sense, "Run the world's sensors first; what they read overrides the state");
  n->add_option("--sensors", next.sensors_files, "A 'kind: sensors' file (default: <world>.sensors.yaml beside the world)");
  n->add_option("--plugin-dir", next.plugin_dirs, "Also look for plugins here (repeatable)");
  n->add_option("--sense-jobs", next.sense_jobs, "With --sense: read at most N sensors at once")
      ->check(CLI::Range(1, 256));
  n->add_flag("--commands", next.commands, "Ask each step's plugin what it would run (the step's 'command'); runs nothing");
  n->add_flag("-q,--quiet", next.quiet, "Print only the action to do now (nothing when there is none)");

  ValidateOptions validate;
  auto* v = app.add_subcommand("validate", "Replay a plan (JSON from 'goap plan --json') and check it step by step");
  v->add_option("world", validate.world, "The world file")->required();
  v->add_option("plan", validate.plan_file, "The plan: JSON output of 'goap plan --json', or '-' for stdin")->required();
  v->add_option("--goal", validate.goal, "Check this goal instead of the plan's own (default: the plan's 'goal')");
  add_state_options(*v, validate.state_file, validate.set_lines);
  v->add_flag("--json", validate.json, "Print the verdict as one JSON document");

  PddlOptions pddl;
  auto* pd = app.add_subcommand("pddl", "Plan for a PDDL domain and problem; print the plan in the IPC format");
  pd->add_option("domain", pddl.domain, "The PDDL domain file")->required();
  pd->add_option("problem", pddl.problem, "The PDDL problem file")->required();
  pd->add_option("--plan-file", pddl.plan_file, "Write the plan here (default: stdout)");
  pd->add_flag("--json", pddl.json, "Print statistics as JSON on stdout");
  pd->add_option("--search", pddl.search,
                 "astar (optimal, default) | gbfs (greedy, preferred operators with ff) | lazy-gbfs "
                 "(greedy with deferred evaluation: successors evaluated when popped)")
      ->check(CLI::IsMember({"astar", "gbfs", "lazy-gbfs"}));
  pd->add_option("--heuristic", pddl.heuristic, "lmcut (default for astar) | hmax | blind | ff (default otherwise) | add")
      ->check(CLI::IsMember({"lmcut", "hmax", "blind", "ff", "add"}));
  pd->add_flag("--eager", pddl.eager,
               "A*: evaluate each state when generated (Fast Downward's way); by default a state is evaluated when "
               "popped, except with blind");
  pd->add_flag("--no-incremental", pddl.no_incremental,
               "A* with lmcut: compute every state's landmarks from scratch; by default a popped state starts "
               "from its parent's landmarks that its operator leaves intact (incremental LM-cut)");
  pd->add_option("--pruning", pddl.pruning,
                 "stubborn-sets (default with astar, except blind: partial-order reduction, skips orderings of "
                 "independent actions, keeps A* optimal) | none (default otherwise)")
      ->check(CLI::IsMember({"none", "stubborn-sets"}));
  pd->add_option("--symmetry", pddl.symmetry,
                 "object (default with astar, except blind: one state stands for all states that differ only by "
                 "a renaming of interchangeable objects, keeps A* optimal) | none (default otherwise; not with "
                 "lazy-gbfs)")
      ->check(CLI::IsMember({"none", "object"}));
  pd->add_option("--threads", pddl.threads,
                 "Threads for the one search: 2 evaluates two states at once in A* (deferred evaluation), 1 "
                 "does not; the plan and statistics are the same either way (0, default: 2 when the machine "
                 "has 2 cores)")
      ->check(CLI::Range(0, 2));
  pd->add_option("--max-expansions", pddl.max_expansions, "Search limit: expanded states")->check(CLI::PositiveNumber);
  pd->add_option("--max-ms", pddl.max_ms, "Search limit: milliseconds")->check(CLI::PositiveNumber);
  pd->add_option("--max-memory-mb", pddl.max_memory_mb, "Search limit: MiB of search memory")->check(CLI::PositiveNumber);
  pd->add_flag("!--no-mutex-groups", pddl.mutex_groups,
               "Keep every PDDL fact a boolean variable (no merging of mutually exclusive facts)");
  add_common(*pd, common);

  BatchOptions batch;
  auto* ba = app.add_subcommand("batch", "Plan many requests (JSON lines: world/goal/state or domain/problem) at once");
  ba->add_option("file", batch.file, "The requests, one JSON object a line; '-' (default) reads stdin");
  ba->add_option("--threads", batch.threads, "Worker threads (0: all cores)")->check(CLI::Range(0, 1024));
  ba->add_option("--max-expansions", batch.max_expansions, "Cap on each request's expanded states (default: plan's / pddl's)")
      ->check(CLI::PositiveNumber);
  ba->add_option("--max-ms", batch.max_ms, "Cap on each request's search milliseconds (default: plan's / pddl's)")
      ->check(CLI::PositiveNumber);
  ba->add_option("--max-memory-mb", batch.max_memory_mb, "Cap on each request's search MiB (default: plan's / pddl's)")
      ->check(CLI::PositiveNumber);
  add_common(*ba, common);

  for (auto* sub : {c, p, n, v}) add_common(*sub, common);

  // Authoring and pictures (docs/authoring.md).
  ExplainOptions explain_o;
  auto* ex = app.add_subcommand("explain", "Why a goal has no plan, or what each step of its plan is for");
  ex->add_option("world", explain_o.plan.world, "The world file")->required();
  ex->add_option("--goal", explain_o.plan.goal, "Explain this goal, whatever its 'when' says (default: the highest-priority relevant goal)");
  add_state_options(*ex, explain_o.plan.state_file, explain_o.plan.set_lines);
  add_search_options(*ex, explain_o.plan);
  ex->add_option("--without", explain_o.without, "Also plan without this action (or ground action) and show the extra cost");
  ex->add_flag("--json", explain_o.json, "Print one JSON document");
  GraphOptions graph_o;
  auto* gr = app.add_subcommand("graph", "The domain as a picture: which actions read and write which facts");
  gr->add_option("world", graph_o.world, "The world file")->required();
  gr->add_option("--format", graph_o.format, "dot | mermaid")->check(CLI::IsMember({"dot", "mermaid"}));
  auto* sc = app.add_subcommand("schema", "Print the JSON Schema of goap's YAML files (for editors)");
  for (auto* sub : {ex, gr, sc}) add_common(*sub, common);

  // Plugins and execution (docs/plugins.md).
  PluginsOptions plugins_o;
  auto* pl = app.add_subcommand("plugins", "List the plugins goap finds: their actions, parameters and sensors");
  pl->add_option("--plugin-dir", plugins_o.plugin_dirs, "Also look for plugins here (repeatable)");
  pl->add_flag("--json", plugins_o.json, "Print one JSON document");

  SenseOptions sense_o;
  auto* se = app.add_subcommand("sense", "Run the world's sensors; print the current state as a 'kind: state' document");
  se->add_option("world", sense_o.world, "The world file")->required();
  se->add_option("--sensors", sense_o.sensors_files, "A 'kind: sensors' file (default: <world>.sensors.yaml beside the world)");
  se->add_option("--plugin-dir", sense_o.plugin_dirs, "Also look for plugins here (repeatable)");
  add_state_options(*se, sense_o.state_file, sense_o.set_lines);
  se->add_flag("--sensed-only", sense_o.sensed_only, "Print only the facts sensors read");
  se->add_flag("--strict", sense_o.strict, "Exit 12 when a sensor fails (its fact is unknown)");
  se->add_flag("--json", sense_o.json, "Print one JSON document: every reading, the unknown facts with their errors");
  se->add_option("--sense-jobs", sense_o.sense_jobs, "Read at most N sensors at once")->check(CLI::Range(1, 256));

  RunOptions run_o;
  auto* ru = app.add_subcommand("run", "Sense, plan, act through plugins, verify, replan until the goals hold");
  ru->add_option("world", run_o.world, "The world file")->required();
  ru->add_flag("--dry-run", run_o.dry_run, "Show the plan and the exact commands; execute nothing");
  ru->add_option("--approve", run_o.approve, "Allow this approval-gated action (name or ground action; repeatable)")
      ->take_last()
      ->allow_extra_args(false);
  ru->add_option("--approval-ttl", run_o.approval_ttl,
                 "How long an approval request this run files waits, and an approval lasts (e.g. 30m, 1h)");
  ru->add_option("--approval-escalate-after", run_o.approval_escalate_after,
                 "Escalate (the world's 'escalate:' action) when an approval request has waited this long");
  ru->add_option("--max-steps", run_o.max_steps, "Carry out at most N actions in this invocation")->check(CLI::NonNegativeNumber);
  ru->add_flag("--resume", run_o.resume, "Continue the latest unfinished run of this world from the journal");
  ru->add_flag("--watch", run_o.watch,
               "Reconcile loop: run, sleep --interval (with jitter, longer while runs fail), run again; SIGTERM/SIGINT "
               "stop after the current step, SIGHUP reloads the world");
  ru->add_option("--interval", run_o.interval, "--watch: the sleep between runs (60s, 5m, 500ms)");
  ru->add_option("--watch-seed", run_o.watch_seed, "--watch: seed of the sleep's jitter (for reproducible tests)")
      ->group("")
      ->check(CLI::NonNegativeNumber);
  ru->add_option("--retries", run_o.retries, "Extra attempts when a plugin fails (with backoff)")->check(CLI::Range(0, 20));
  ru->add_option("--backoff-ms", run_o.backoff_ms, "Wait before the first retry; doubles each time")->check(CLI::Range(0, 3'600'000));
  ru->add_option("--kill-grace-ms", run_o.kill_grace_ms, "Added to an action's timeout before its worker is killed")
      ->check(CLI::Range(0, 3'600'000));
  ru->add_option("--verify-ms", run_o.verify_ms, "How long an action's effects may take to show before they count as missing")
      ->check(CLI::Range(0, 3'600'000));
  ru->add_option("--journal", run_o.journal, "The journal database (default: $GOAP_JOURNAL or ~/.local/state/goap/journal.db)");
  ru->add_option("--sensors", run_o.sensors_files, "A 'kind: sensors' file (default: <world>.sensors.yaml beside the world)");
  ru->add_option("--plugin-dir", run_o.plugin_dirs, "Also look for plugins here (repeatable)");
  ru->add_option("--sense-jobs", run_o.sense_jobs, "Read at most N sensors at once")->check(CLI::Range(1, 256));
  ru->add_option("--threads", run_o.threads, "Worker threads for planning goals at once (0: all cores)")->check(CLI::Range(0, 1024));
  add_state_options(*ru, run_o.state_file, run_o.set_lines);
  ru->add_flag("--json", run_o.json, "Print one JSON event a line on stdout instead of the human lines (docs/operations.md)");

  HistoryOptions history_o;
  auto* hi = app.add_subcommand("history", "Past runs from the journal, or the steps of one run");
  hi->add_option("run", history_o.run, "A run id: show its steps");
  hi->add_option("--journal", history_o.journal, "The journal database (default: $GOAP_JOURNAL or ~/.local/state/goap/journal.db)");
  hi->add_option("--limit", history_o.limit, "How many runs to list")->check(CLI::PositiveNumber);
  hi->add_flag("--json", history_o.json, "Print one JSON document");
  hi->add_option("--format", history_o.format, "text | json | md (with RUN: a post-incident timeline in Markdown)")
      ->check(CLI::IsMember({"text", "json", "md"}));

  // The approvals inbox (exec/approvals.h).
  ApprovalsOptions approvals_o;
  auto* ap = app.add_subcommand("approvals", "The approval requests 'goap run' filed for a world, and their status");
  ap->add_option("world", approvals_o.world, "The world file")->required();
  ap->add_option("--journal", approvals_o.journal, "The journal database (default: $GOAP_JOURNAL or ~/.local/state/goap/journal.db)");
  ap->add_flag("--json", approvals_o.json, "Print one JSON document");
  DecideOptions approve_o, decline_o;
  decline_o.approve = false;
  auto* ay = app.add_subcommand("approve", "Approve a pending request: the next 'goap run' of its world carries out the plan");
  auto* dn = app.add_subcommand("decline", "Decline a pending request: 'goap run' plans around the steps it asked for");
  for (auto [cmd, o] : {std::pair{ay, &approve_o}, std::pair{dn, &decline_o}}) {
    cmd->add_option("id", o->id, "The request's id (goap approvals WORLD)")->required();
    cmd->add_option("--by", o->by, "Who decides (kept in the journal)")->required();
    cmd->add_option("--journal", o->journal, "The journal database (default: $GOAP_JOURNAL or ~/.local/state/goap/journal.db)");
  }
  dn->add_option("--reason", decline_o.reason, "Why (kept in the journal)");
  for (auto* sub : {pl, se, ru, hi, ap, ay, dn}) add_common(*sub, common);
  add_allow_outside(*ap, common);
  for (auto* sub : {c, p, n, v, ba, ex, gr, se, ru}) add_allow_outside(*sub, common);

  // An empty list is no default worth showing ("=[]"): those options say what they do without one;
  // nor is a flag's (a flag is off unless given).
  for (CLI::App* sub : app.get_subcommands({}))
    for (CLI::Option* opt : sub->get_options())
      if (opt->get_default_str() == "[]" || opt->get_type_size() == 0) opt->default_str("");

  // `goap --version --json` (either order): CLI11's version flag knows no options of its own.
  if (argc == 3 && ((std::string(argv[1]) == "--version" && std::string(argv[2]) == "--json") ||
                    (std::string(argv[1]) == "--json" && std::string(argv[2]) == "--version"))) {
    std::printf("%s\n", version_json().c_str());
    return kOk;
  }
  if (mistyped(app, argc, argv)) return kUsage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  common.color = isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  goap::core::log::init(common.verbosity, common.log_json);

  try {
    if (*c) return run_check(check, common);
    if (*p) return run_plan(plan, common);
    if (*n) return run_plan(next, common);
    if (*v) return run_validate(validate, common);
    if (*pd) return run_pddl(pddl, common);
    if (*ba) return run_batch(batch, common);
    if (*ex) return run_explain(explain_o, common);
    if (*gr) return run_graph(graph_o, common);
    if (*sc) return run_schema();
    if (*pl) return run_plugins(plugins_o, common);
    if (*se) return run_sense(sense_o, common);
    if (*ru) return run_run(run_o, common);
    if (*hi) return run_history(history_o, common);
    if (*ap) return run_approvals(approvals_o, common);
    if (*ay) return run_decide(approve_o, common);
    if (*dn) return run_decide(decline_o, common);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "goap: internal error: %s\n", e.what());
    return kInternal;
  }
  return kUsage;
}
