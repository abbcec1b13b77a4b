// The domain as a picture sees it (`goap graph WORLD`): which actions consume and produce which facts.
//
// A bipartite graph on the lifted model: one node per declared fact, one per action; an edge
// fact -> action for every fact a precondition reads, action -> fact for every fact an effect
// writes. Several conditions of one action on one fact (`promote-backup` reads gitea_primary($from)
// and writes both gitea_primary($to) and not gitea_primary($from)) share one edge, its label
// listing each. Facts no action writes are *static*: the world's layout (who hosts what).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/world.h"

namespace goap::exporting {

struct DomainView {
  struct Fact {
    std::string name;       // "reachable"
    std::string signature;  // "reachable(host)"
    std::string type;       // "bool", "int[0..3]", "enum[kimi, ollama, none]"
    bool external = false;  // the environment changes it too
    bool is_static = false; // no action writes it
  };
  struct Action {
    std::string name;
    std::string signature;  // "restart-agent(a: agent, h: host)"
    int cost = 1;
    bool approval = false;
  };
  struct Edge {
    std::size_t fact = 0, action = 0;  // indices into facts / actions
    bool produces = false;             // false: the action reads the fact (precondition)
    std::vector<std::string> labels;   // "", "not", "< 3", "sets", "clears", "+= 1", "= ollama"
    bool clears = false;               // an effect that makes a bool false
  };
  std::string world;
  std::vector<Fact> facts;      // declaration order
  std::vector<Action> actions;  // declaration order
  std::vector<Edge> edges;      // by action, reads before writes, facts in first-use order
};

DomainView make_domain_view(const model::World& world);

// Joins an edge's labels for display ("sets, clears"); empty when none says anything.
std::string edge_label(const DomainView::Edge& e);

}  // namespace goap::exporting
