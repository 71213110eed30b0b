#include "analysis/boilerplate.h"

#include <array>
#include "analysis/phrase_matcher.h"

namespace yuqing::analysis {

namespace {

// Fixed phrases Weibo and sharing buttons write (after normalisation: simplified, lower-case).
// Longer phrases first: the first that matches is taken out.
constexpr std::array<std::string_view, 18> kBoilerplate = {
    "我分享了一个视频", "分享了一个视频", "转发微博", "转发理由", "转发了", "转发", "repost", "分享图片", "分享视频",
    "分享自", "我分享了", "o网页链接", "网页链接", "查看图片", "展开全文", "全文", "原文", "轉發"};

// Placeholders inside [...] that stand for media, not emoticons.
constexpr std::array<std::string_view, 7> kPlaceholders = {"图片", "视频", "转发", "链接", "组图", "音乐", "语音"};

bool StartsWith(std::string_view s, size_t i, std::string_view p) { return s.substr(i, p.size()) == p; }

bool IsSpaceOrPunct(uint32_t cp) {
  if (cp < 0x80) return !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') && !(cp >= '0' && cp <= '9');
  // CJK punctuation, full-width forms' punctuation, general punctuation.
  return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0x2000 && cp <= 0x206F);
}

size_t SkipUntil(std::string_view s, size_t i, std::string_view stops) {
  while (i < s.size() && stops.find(s[i]) == std::string_view::npos) {
    if (StartsWith(s, i, "：")) break;  // full-width colon ends an @name
    ++i;
  }
  return i;
}

}  // namespace

bool IsContentless(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (StartsWith(s, i, "http://") || StartsWith(s, i, "https://")) {
      i = SkipUntil(s, i, " \t\n");
      continue;
    }
    if (s[i] == '@') {  // @name, ended by a space, a colon or the end
      i = SkipUntil(s, i + 1, " \t\n:");
      continue;
    }
    if (s[i] == '#') {  // #hashtag#: a topic label, not the author's words
      size_t close = s.find('#', i + 1);
      if (close != std::string_view::npos && close - i <= 120) {
        i = close + 1;
        continue;
      }
    }
    if (s[i] == '[') {
      size_t close = s.find(']', i + 1);
      if (close != std::string_view::npos) {
        std::string_view inner = s.substr(i + 1, close - i - 1);
        bool placeholder = false;
        for (auto p : kPlaceholders) placeholder |= inner == p;
        if (placeholder) {
          i = close + 1;
          continue;
        }
        return false;  // an emoticon such as [怒]: the author's own
      }
    }
    bool phrase = false;
    for (auto p : kBoilerplate) {
      if (StartsWith(s, i, p)) {
        i += p.size();
        phrase = true;
        break;
      }
    }
    if (phrase) continue;
    if (!IsSpaceOrPunct(DecodeUtf8(s, i))) return false;
  }
  return true;
}

}  // namespace yuqing::analysis
