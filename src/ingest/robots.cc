#include "ingest/robots.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace yuqing::ingest {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Does `pattern` (with * and a trailing $) match a prefix of `path` (the whole path with $)?
bool PatternMatches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Iterative glob with backtracking over the last '*'.
  size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
      if (star == std::string_view::npos) return false;
      p = star + 1;
      s = ++mark;
      if (s > path.size()) return false;
      continue;
    }
    if (pattern[p] == '*') {
      star = p++;
      mark = s;
      continue;
    }
    if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    s = ++mark;
    if (s > path.size()) return false;
  }
}

struct Rule {
  bool allow;
  std::string pattern;
};

struct Group {
  std::vector<std::string> agents;
  std::vector<Rule> rules;
  TimeMs crawl_delay = 0;
};

std::vector<Group> Parse(std::string_view txt) {
  std::vector<Group> groups;
  bool in_agents = false;  // the previous meaningful line was a User-agent
  size_t i = 0;
  while (i < txt.size()) {
    size_t end = txt.find('\n', i);
    if (end == std::string_view::npos) end = txt.size();
    std::string_view line = txt.substr(i, end - i);
    i = end + 1;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "user-agent") {
      if (!in_agents) groups.emplace_back();
      groups.back().agents.push_back(Lower(value));
      in_agents = true;
      continue;
    }
    if (groups.empty()) continue;  // rules before any User-agent are ignored
    in_agents = false;
    if (key == "allow" || key == "disallow") {
      if (key == "disallow" && value.empty()) continue;  // "Disallow:" allows everything
      groups.back().rules.push_back({key == "allow", std::string(value)});
    } else if (key == "crawl-delay") {
      double secs = std::atof(std::string(value).c_str());
      // Capped: a fetcher waiting on one site holds up the others (and a stop).
      if (secs > 0) groups.back().crawl_delay = static_cast<TimeMs>(std::min(secs, 60.0) * 1000);
    }
  }
  return groups;
}

}  // namespace

RobotsVerdict CheckRobots(std::string_view robots_txt, std::string_view agent, std::string_view path) {
  RobotsVerdict v;
  const std::string me = Lower(agent);
  auto groups = Parse(robots_txt.substr(0, 512 * 1024));  // RFC 9309: at least 500 KiB are read
  std::vector<const Group*> chosen;
  for (const auto& g : groups)
    for (const auto& a : g.agents)
      if (a != "*" && !a.empty() && me.find(a) != std::string::npos) chosen.push_back(&g);
  if (chosen.empty())
    for (const auto& g : groups)
      if (std::find(g.agents.begin(), g.agents.end(), "*") != g.agents.end()) chosen.push_back(&g);
  size_t best = 0;
  bool matched = false;
  for (const Group* g : chosen) {
    v.crawl_delay = std::max(v.crawl_delay, g->crawl_delay);
    for (const auto& r : g->rules) {
      if (!PatternMatches(r.pattern, path)) continue;
      size_t len = r.pattern.size();
      if (!matched || len > best || (len == best && r.allow && !v.allowed)) {
        matched = true;
        best = len;
        v.allowed = r.allow;
        v.rule = std::string(r.allow ? "Allow: " : "Disallow: ") + r.pattern;
      }
    }
  }
  return v;
}

std::string OriginOf(const std::string& url) {
  size_t s = url.find("://");
  if (s == std::string::npos) return {};
  std::string scheme = Lower(url.substr(0, s));
  if (scheme != "http" && scheme != "https") return {};
  size_t end = url.find_first_of("/?#", s + 3);
  return url.substr(0, end == std::string::npos ? url.size() : end);
}

std::string RobotsUrl(const std::string& url) {
  std::string o = OriginOf(url);
  return o.empty() ? "" : o + "/robots.txt";
}

std::string PathOf(const std::string& url) {
  std::string o = OriginOf(url);
  std::string rest = url.substr(o.size());
  if (auto hash = rest.find('#'); hash != std::string::npos) rest.erase(hash);
  if (rest.empty() || rest[0] != '/') rest = "/" + rest;
  return rest;
}

}  // namespace yuqing::ingest
