#include "analysis/phrase_matcher.h"

#include <algorithm>

namespace yuqing::analysis {

uint32_t DecodeUtf8(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return c;
  }
  uint32_t cp = c & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

namespace {
inline uint32_t Slot(uint32_t cp) { return cp & 0xFFFF; }
}  // namespace

void PhraseMatcher::Add(std::string_view phrase, uint32_t value) {
  if (phrase.empty()) return;
  size_t i = 0;
  uint32_t cp = DecodeUtf8(phrase, i);
  by_first_[cp].push_back({std::string(phrase), value});
  first_bits_[Slot(cp) >> 6] |= 1ull << (Slot(cp) & 63);
  ++count_;
}

void PhraseMatcher::Build() {
  for (auto& [cp, v] : by_first_) {
    std::stable_sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return a.phrase.size() > b.phrase.size(); });
  }
}

void PhraseMatcher::Scan(std::string_view text, std::vector<Match>& out) const {
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    uint32_t cp = DecodeUtf8(text, i);
    if (!(first_bits_[Slot(cp) >> 6] >> (Slot(cp) & 63) & 1)) continue;
    auto it = by_first_.find(cp);
    if (it == by_first_.end()) continue;
    std::string_view rest = text.substr(start);
    for (const Entry& e : it->second) {
      if (rest.size() >= e.phrase.size() && rest.compare(0, e.phrase.size(), e.phrase) == 0)
        out.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(start + e.phrase.size()), e.value});
    }
  }
}

}  // namespace yuqing::analysis
