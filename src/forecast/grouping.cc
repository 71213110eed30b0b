#include "forecast/grouping.h"

#include <algorithm>
#include <unordered_map>

namespace yuqing::forecast {

namespace {

constexpr int kUnresolved = -1, kOrphan = -2, kCycle = -3, kVisiting = -4;

struct Node {
  const CascadePost* post;
  int root = kUnresolved;  // index into cascades, or one of the codes above
  int depth = 0;
};

// Resolves a node's root and depth iteratively (chains can be long; no recursion).
void Resolve(size_t start, std::vector<Node>& nodes, const std::unordered_map<std::string, size_t>& index) {
  std::vector<size_t> path;
  size_t cur = start;
  int root = kOrphan, depth = 0;
  while (true) {
    Node& n = nodes[cur];
    if (n.root == kVisiting) {
      root = kCycle;
      break;
    }
    if (n.root != kUnresolved) {
      root = n.root;
      depth = n.depth;
      break;
    }
    n.root = kVisiting;
    path.push_back(cur);
    auto it = index.find(n.post->parent);
    if (it == index.end()) {
      root = kOrphan;
      break;
    }
    cur = it->second;
  }
  // Unwind: each node on the path is one level deeper than the one it reposts.
  for (size_t i = path.size(); i-- > 0;) {
    nodes[path[i]].root = root;
    nodes[path[i]].depth = root >= 0 ? ++depth : 0;
  }
}

}  // namespace

Grouping GroupByRoot(const std::vector<CascadePost>& posts) {
  Grouping g;
  std::unordered_map<std::string, size_t> index;
  std::vector<Node> nodes;
  for (const auto& p : posts) {
    if (!index.emplace(p.id, nodes.size()).second) {
      ++g.duplicates;
      continue;
    }
    Node n{&p};
    if (p.parent.empty()) {
      n.root = static_cast<int>(g.cascades.size());
      Observation o;
      o.id = p.id;
      o.root_time_ms = p.t_ms;
      o.root_followers = std::max<int64_t>(p.followers, 0);
      o.root_verified = p.verified;
      g.cascades.push_back(std::move(o));
    }
    nodes.push_back(n);
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].root == kUnresolved) Resolve(i, nodes, index);
    const Node& n = nodes[i];
    if (n.post->parent.empty()) continue;
    if (n.root == kOrphan) ++g.orphans;
    else if (n.root == kCycle) ++g.cycles;
    else g.cascades[n.root].reposts.push_back({n.post->t_ms, n.post->followers, n.post->verified, n.depth, n.post->text});
  }
  return g;
}

}  // namespace yuqing::forecast
