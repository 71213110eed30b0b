#include "analysis/gazetteer.h"

#include <fstream>
#include <sstream>

namespace yuqing::analysis {

namespace {

constexpr uint32_t kCityBit = 1u << 31;

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool EndsWith(const std::string& s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

void Bump(std::vector<std::pair<int, int>>& v, int idx, int score) {
  for (auto& [i, s] : v)
    if (i == idx) {
      s += score;
      return;
    }
  v.emplace_back(idx, score);  // insertion order = first mention order, used to break ties
}

int Best(const std::vector<std::pair<int, int>>& v) {
  int best = -1, best_score = 0;
  for (auto& [i, s] : v)
    if (s > best_score) best = i, best_score = s;
  return best;
}

}  // namespace

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("gazetteer not found: " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str());
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::Parse(std::string_view content) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  int lineno = 0;
  for (const auto& line : Split(content, '\n')) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    auto cols = Split(line, '\t');
    if (cols.size() != 3) return Status::Invalid("gazetteer line " + std::to_string(lineno) + ": want 3 tab-separated columns");
    int p = static_cast<int>(g->provinces_.size());
    g->provinces_.push_back(cols[0]);
    g->matcher_.Add(cols[0], p);
    for (const auto& a : Split(cols[1], ',')) g->matcher_.Add(a, p);
    if (cols[2] == "=") {
      uint32_t c = static_cast<uint32_t>(g->cities_.size());
      g->cities_.push_back({cols[0], p});
      g->matcher_.Add(cols[0], kCityBit | c);
      for (const auto& a : Split(cols[1], ',')) g->matcher_.Add(a, kCityBit | c);
      continue;
    }
    for (std::string tok : Split(cols[2], ' ')) {
      bool strict = !tok.empty() && tok[0] == '!';
      if (strict) tok.erase(0, 1);
      auto parts = Split(tok, '|');
      if (parts.empty()) continue;
      uint32_t c = static_cast<uint32_t>(g->cities_.size()) | kCityBit;
      const std::string& name = parts[0];
      g->cities_.push_back({name, p});
      if (!strict) g->matcher_.Add(name, c);
      for (size_t i = 1; i < parts.size(); ++i) g->matcher_.Add(parts[i], c);
      if (!EndsWith(name, "州") && !EndsWith(name, "盟") && !EndsWith(name, "地区") && !EndsWith(name, "林区"))
        g->matcher_.Add(name + "市", c);
    }
  }
  if (g->provinces_.empty()) return Status::Invalid("empty gazetteer");
  g->matcher_.Build();
  return g;
}

void Gazetteer::Collect(std::string_view text, Votes& v) const {
  std::vector<PhraseMatcher::Match> hits;
  matcher_.Scan(text, hits);
  for (size_t i = 0; i < hits.size(); ++i) {
    // A name inside a longer name (海南 in 海南藏族自治州, 吉林 in 吉林市) does not count.
    bool inside = false;
    for (size_t j = 0; j < hits.size() && !inside; ++j) {
      if (j == i) continue;
      const auto& a = hits[i];
      const auto& b = hits[j];
      inside = b.begin <= a.begin && a.end <= b.end && (b.end - b.begin) > (a.end - a.begin);
    }
    if (inside) continue;
    uint32_t val = hits[i].value;
    if (val & kCityBit) {
      int c = static_cast<int>(val & ~kCityBit);
      Bump(v.city, c, 2);
      Bump(v.province, cities_[c].province, 1);
    } else {
      Bump(v.province, static_cast<int>(val), 2);
    }
  }
}

Region Gazetteer::Resolve(std::string_view norm_text, std::string_view location) const {
  Region r;
  Votes text_votes, loc_votes;
  Collect(norm_text, text_votes);
  int prov = Best(text_votes.province);
  if (prov < 0) {
    Collect(location, loc_votes);
    prov = Best(loc_votes.province);
    if (prov < 0) return r;
    text_votes = loc_votes;
  }
  r.province = provinces_[prov];
  int city = -1, best = 0;
  for (auto& [c, s] : text_votes.city)
    if (cities_[c].province == prov && s > best) city = c, best = s;
  if (city < 0 && loc_votes.city.empty() && !location.empty()) Collect(location, loc_votes);
  if (city < 0)
    for (auto& [c, s] : loc_votes.city)
      if (cities_[c].province == prov && s > best) city = c, best = s;
  if (city >= 0) r.city = cities_[city].name;
  return r;
}

}  // namespace yuqing::analysis
