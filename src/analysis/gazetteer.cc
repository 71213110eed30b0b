#include "analysis/gazetteer.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace yuqing::analysis {

namespace {

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

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) DecodeUtf8(s, i);
  return n;
}

constexpr int kProvinceName = 8;  // 浙江, 浙江省, 北京
constexpr int kCityName = 4;      // a city or district adds this to its province
constexpr int kCityVote = 8;      // and this to itself
// Multipliers in quarters: an origin (河南籍) counts a quarter, a destination (驰援武汉) double.
constexpr int kOrigin = 1, kPlain = 4, kToward = 8;
// A post whose own words (outside #topics#) are at most this many Chinese characters is about
// its topics.
constexpr size_t kShortBody = 30;
// At most this many bytes may follow a check-in.
constexpr size_t kCheckInTail = 16;

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

bool Has(const std::vector<std::pair<int, int>>& v, int idx) {
  for (auto& [i, s] : v)
    if (i == idx) return true;
  return false;
}

// Where an @handle (a Weibo user name: @北京李海) or a "via 名" source ends, `at` being the
// handle's last lead-in byte: at a space or punctuation after the name, or after 30 code points.
size_t HandleEnd(std::string_view text, size_t at) {
  static const std::unordered_set<uint32_t> kStop = {
      ' ', '\t', '\n', '\r', ':', ',', '.', '!', '?', ';', '(', ')', '[', ']', '/', '\\', '#', '@', '"', '\'', '<', '>',
      0x3002 /*。*/, 0x3001 /*、*/, 0x201C /*“*/, 0x201D /*”*/, 0x300A /*《*/, 0x300B /*》*/, 0x3010 /*【*/,
      0x3011 /*】*/, 0x2026 /*…*/, 0x300C /*「*/, 0x300D /*」*/, 0x2014 /*—*/, 0xFF1A, 0xFF0C, 0xFF01, 0xFF1F};
  size_t i = at + 1;
  while (i < text.size() && text[i] == ' ') ++i;  // "via 英国那些事儿"
  for (int n = 0; i < text.size() && n < 30; ++n) {
    size_t j = i;
    if (kStop.count(DecodeUtf8(text, j))) break;
    i = j;
  }
  return i;
}

}  // namespace

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("gazetteer not found: " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str());
}

uint32_t Gazetteer::AddEntry(std::string_view phrase, const Entry& e) {
  uint32_t id = static_cast<uint32_t>(entries_.size());
  entries_.push_back(e);
  entries_.back().given_name = e.kind == Kind::kPlace && CodePoints(phrase) == 2;
  matcher_.Add(phrase, id);
  return id;
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::Parse(std::string_view content) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  std::unordered_map<std::string, std::vector<uint32_t>> by_phrase;  // to find names of 2+ provinces
  std::unordered_map<std::string, int> city_by_name;
  auto add = [&](const std::string& phrase, const Entry& e) {
    if (!phrase.empty()) by_phrase[phrase].push_back(g->AddEntry(phrase, e));
  };
  auto place = [](int p, int c, int score, bool weak) {
    Entry e;
    e.province = p;
    e.city = c;
    e.province_score = score;
    e.weak = weak;
    return e;
  };
  int lineno = 0;
  for (const auto& line : Split(content, '\n')) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    auto cols = Split(line, '\t');
    std::string where = "gazetteer line " + std::to_string(lineno) + ": ";
    if (cols.size() != 3) return Status::Invalid(where + "want 3 tab-separated columns");
    if (cols[0][0] == '=') {
      const std::string& d = cols[0];
      auto toks = Split(cols[2], ' ');
      if (d == "=not" || d == "=foreign") {
        Entry e;
        e.kind = d == "=not" ? Kind::kNotPlace : Kind::kForeign;
        for (const auto& t : toks) add(t, e);
      } else if (d == "=follow" || d == "=origin") {
        for (const auto& t : toks) {
          auto parts = Split(t, '/');
          if (parts.empty()) continue;
          Follower f{parts[0], {parts.begin() + 1, parts.end()}, d == "=origin"};
          size_t i = 0;
          g->followers_[DecodeUtf8(f.word, i)].push_back(std::move(f));
        }
      } else if (d == "=toward") {
        for (const auto& t : toks) g->toward_.push_back(t);
      } else if (d == "=surname") {
        for (const auto& t : toks) {
          size_t i = 0;
          g->surnames_.push_back(DecodeUtf8(t, i));
        }
      } else if (d == "=district") {
        auto it = city_by_name.find(cols[1]);
        if (it == city_by_name.end()) return Status::Invalid(where + "unknown city " + cols[1]);
        int c = it->second;
        for (std::string t : toks) {
          bool weak = t[0] == '?';
          if (weak) t.erase(0, 1);
          add(t, place(g->cities_[c].province, c, kCityName, weak));
        }
      } else {
        return Status::Invalid(where + "unknown directive " + d);
      }
      continue;
    }
    int p = static_cast<int>(g->provinces_.size());
    g->provinces_.push_back(cols[0]);
    if (cols[2] == "=") {  // a municipality: its names are the province's and the city's
      int c = static_cast<int>(g->cities_.size());
      g->cities_.push_back({cols[0], p});
      city_by_name.emplace(cols[0], c);
      add(cols[0], place(p, c, kProvinceName, false));
      for (const auto& a : Split(cols[1], ',')) add(a, place(p, c, kProvinceName, false));
      continue;
    }
    add(cols[0], place(p, -1, kProvinceName, false));
    for (const auto& a : Split(cols[1], ',')) add(a, place(p, -1, kProvinceName, false));
    for (std::string tok : Split(cols[2], ' ')) {
      bool strict = tok[0] == '!';
      bool weak = tok[0] == '?';
      if (strict || weak) tok.erase(0, 1);
      auto parts = Split(tok, '|');
      if (parts.empty()) continue;
      int c = static_cast<int>(g->cities_.size());
      const std::string& name = parts[0];
      g->cities_.push_back({name, p});
      city_by_name.emplace(name, c);
      Entry e = place(p, c, kCityName, weak);
      if (!strict) add(name, e);
      for (size_t i = 1; i < parts.size(); ++i) add(parts[i], e);
      // 名市 only where the bare name is not matched (the bare name finds 名市 too: fewer phrases
      // to compare keeps the scan fast).
      if (strict) add(name + "市", place(p, c, kCityName, false));
    }
  }
  if (g->provinces_.empty()) return Status::Invalid("empty gazetteer");
  // A name of places in two provinces (通州: 北京 and 南通) is weak: it needs another name.
  for (const auto& [phrase, ids] : by_phrase) {
    int prov = -2;
    bool several = false;
    for (uint32_t id : ids) {
      const Entry& e = g->entries_[id];
      if (e.kind != Kind::kPlace) continue;
      if (prov != -2 && prov != e.province) several = true;
      prov = e.province;
    }
    if (several)
      for (uint32_t id : ids) g->entries_[id].weak = true;
  }
  std::sort(g->surnames_.begin(), g->surnames_.end());
  g->matcher_.Build();
  return g;
}

int Gazetteer::FollowedBy(std::string_view text, size_t pos) const {
  if (pos >= text.size() || followers_.empty()) return 0;
  size_t i = pos;
  auto it = followers_.find(DecodeUtf8(text, i));
  if (it == followers_.end()) return 0;
  std::string_view rest = text.substr(pos);
  for (const Follower& f : it->second) {
    if (!rest.starts_with(f.word)) continue;
    bool unless = false;
    for (const auto& u : f.unless) unless = unless || rest.starts_with(u);
    if (!unless) return f.origin ? 2 : 1;
  }
  return 0;
}

void Gazetteer::Collect(std::string_view text, Votes& v) const {
  thread_local std::vector<PhraseMatcher::Match> hits;
  thread_local std::vector<std::pair<size_t, size_t>> handles;
  thread_local std::vector<std::pair<const Entry*, int>> weak;  // (entry, multiplier)
  hits.clear();
  handles.clear();
  weak.clear();
  matcher_.Scan(text, hits);  // in text order; at one offset, longest first
  if (hits.empty()) return;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1))
    handles.emplace_back(at, HandleEnd(text, at));
  for (size_t at = text.find("via"); at != std::string_view::npos; at = text.find("via", at + 1))
    if (at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]))) handles.emplace_back(at, HandleEnd(text, at + 2));
  // " 2揭阳", " 2天津·某某家园": a Weibo check-in (the pin icon reads "2"), the author's location,
  // at the end of the post (little may follow: " 收起全文", " ?").
  for (size_t at = text.find('2'); at != std::string_view::npos; at = text.find('2', at + 1)) {
    if ((at == 0 || text[at - 1] == ' ') && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) >= 0xE0) {
      size_t end = HandleEnd(text, at);
      if (text.size() - end <= kCheckInTail) handles.emplace_back(at, end);
    }
  }
  auto in_handle = [&](size_t pos) {
    for (auto& [b, e] : handles)
      if (b <= pos && pos < e) return true;
    return false;
  };
  // #话题#: a trending topic is often stuck onto an unrelated post. Names inside topics count only
  // when the post's own words name a place too, or are few (the post is about the topic).
  Votes tags;
  size_t body_chars = 0;
  thread_local std::vector<std::pair<size_t, size_t>> tag_spans;
  tag_spans.clear();
  if (text.find('#') != std::string_view::npos) {
    bool in_tag = false;
    size_t tag_begin = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '#') {
        if (in_tag) tag_spans.emplace_back(tag_begin, i);
        in_tag = !in_tag;
        tag_begin = i + 1;
      } else if (!in_tag && c >= 0xE4 && c <= 0xE9) {
        ++body_chars;  // the lead byte of a CJK ideograph (U+4E00..U+9FFF)
      }
    }
  }
  auto in_tag_span = [&](size_t pos) {
    for (auto& [b, e] : tag_spans)
      if (b <= pos && pos < e) return true;
    return false;
  };
  // Left to right, the longest name at each offset wins and hides what it overlaps: 上海|南站,
  // not 海南; 湖北|京山, not 北京. Names with the same span (通州 of two provinces) go together.
  size_t kept_end = 0;
  for (size_t i = 0, j; i < hits.size(); i = j) {
    const uint32_t b = hits[i].begin, e = hits[i].end;
    bool not_place = false;
    for (j = i; j < hits.size() && hits[j].begin == b && hits[j].end == e; ++j)
      not_place = not_place || entries_[hits[j].value].kind == Kind::kNotPlace;
    if (b < kept_end) continue;
    const bool after_name = b == kept_end && b > 0;
    kept_end = e;
    if (not_place || in_handle(b)) continue;
    Votes& to = in_tag_span(b) ? tags : v;
    bool toward = false;  // 驰援武汉: the destination is where the matter is
    for (const auto& w : toward_) toward = toward || text.substr(0, b).ends_with(w);
    int follow = -1;
    for (size_t k = i; k < j; ++k) {
      const Entry& en = entries_[hits[k].value];
      if (en.kind == Kind::kForeign) {
        to.foreign = true;
        continue;
      }
      if (follow < 0) follow = FollowedBy(text, e);
      if (follow == 1) continue;  // 湖南卫视, 辽宁队, 兰州拉面
      if (en.given_name && !after_name && b > 0) {
        // 王金华, 张北京: a surname right before a two-character name, not itself part of a name.
        size_t p = b - 1;
        while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
        size_t q = p;
        uint32_t cp = DecodeUtf8(text, q);
        if (std::binary_search(surnames_.begin(), surnames_.end(), cp)) continue;
      }
      int mul = follow == 2 ? kOrigin : toward ? kToward : kPlain;
      if (en.weak) {
        weak.emplace_back(&en, mul);
        continue;
      }
      Bump(to.province, en.province, en.province_score * mul / kPlain);
      if (en.city >= 0) Bump(to.city, en.city, kCityVote * mul / kPlain);
    }
  }
  if (!tags.province.empty() && (!v.province.empty() || body_chars <= kShortBody)) {
    for (auto& [p, sc] : tags.province) Bump(v.province, p, sc);
    for (auto& [c, sc] : tags.city) Bump(v.city, c, sc);
  }
  v.foreign = v.foreign || tags.foreign;
  for (auto& [en, mul] : weak) {
    if (!Has(v.province, en->province)) continue;  // nothing else in the text names its province
    Bump(v.province, en->province, en->province_score * mul / kPlain);
    if (en->city >= 0) Bump(v.city, en->city, kCityVote * mul / kPlain);
  }
}

Region Gazetteer::Resolve(std::string_view norm_text, std::string_view location) const {
  Region r;
  Votes text_votes, loc_votes;
  Collect(norm_text, text_votes);
  int prov = Best(text_votes.province);
  if (prov >= 0 && text_votes.province.size() >= 3) {
    // A list of places in three or more provinces with no leader (苏州…广州…上海…) is no one place.
    int top = 0, second = 0;
    for (auto& [p, sc] : text_votes.province) {
      if (sc > top) second = top, top = sc;
      else if (sc > second) second = sc;
    }
    if (top == second) return r;
  }
  bool loc_done = false;
  if (prov < 0) {
    if (text_votes.foreign) return r;  // the matter happens abroad
    Collect(location, loc_votes);
    loc_done = true;
    prov = Best(loc_votes.province);
    if (prov < 0) return r;
    text_votes = loc_votes;
    r.source = "author";
  } else {
    r.source = "text";
  }
  r.province = provinces_[prov];
  int city = -1, best = 0;
  for (auto& [c, s] : text_votes.city)
    if (cities_[c].province == prov && s > best) city = c, best = s;
  if (city < 0 && !loc_done && !location.empty()) Collect(location, loc_votes);
  if (city < 0)
    for (auto& [c, s] : loc_votes.city)
      if (cities_[c].province == prov && s > best) city = c, best = s;
  if (city >= 0) r.city = cities_[city].name;
  return r;
}

}  // namespace yuqing::analysis
