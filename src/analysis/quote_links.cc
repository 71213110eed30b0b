#include "analysis/quote_links.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "text/utf8.h"

namespace yuqing::analysis {

namespace {

// Key kinds seed the hash, so a headline never equals a text head or a link.
constexpr uint64_t kHeadSeed = 0x68656164ull;   // "head"
constexpr uint64_t kUrlSeed = 0x75726c00ull;    // "url"
constexpr uint64_t kTitleSeed = 0x7469746cull;  // "titl"
constexpr uint64_t kAuthorSeed = 0x6e616d65ull;  // "name"
constexpr size_t kTitleChars = 24;   // a headline's key reads this many content characters
constexpr size_t kMaxQuotes = 4;     // quoted parts looked up per post
constexpr size_t kMaxUrls = 2;
constexpr size_t kMaxTitles = 2;
constexpr size_t kNameBytes = 64;    // an @name before its colon, at most
constexpr size_t kBracketBytes = 240;

// Boilerplate that Weibo and converters put into reposts: not the author's words, so it never
// makes two texts look alike.
constexpr std::string_view kBoilerplate[] = {"转发微博", "轉發微博", "网页链接", "網頁鏈接", "分享图片",
                                             "分享圖片", "分享视频", "原文", "repost", "Repost"};

// Where a quoted text starts after these markers; the ones ending in '@' are followed by a name
// and a colon (skipped), 转自 by a source name and a colon.
constexpr std::string_view kNamedMarkers[] = {"//@", "RT @", "rt @"};
constexpr std::string_view kPlainMarkers[] = {"转发：", "转发:", "轉發：", "转：", "转:", "轉：", "转载：",
                                              "转载:", "原文：", "原文:", "【转】", "【转载】", "[转]"};
constexpr std::string_view kFromMarker = "转自";

// The first bytes of every marker: ASCII ones on their own, the CJK ones (转/轉 E8 BD, 原 E5 8E,
// 【 E3 80) with their second byte, so the scan tests each byte without a branch that CJK text
// (where E5 and E8 lead a third of the characters) would mispredict.
constexpr std::array<uint8_t, 256> kAsciiLead = [] {
  std::array<uint8_t, 256> t{};
  for (unsigned char c : {'/', 'R', 'r', '['}) t[c] = 1;
  return t;
}();
constexpr std::array<uint8_t, 256> kSecondByte = [] {
  std::array<uint8_t, 256> t{};
  t[0xE8] = 0xBD;
  t[0xE5] = 0x8E;
  t[0xE3] = 0x80;
  return t;
}();

// Incremental hash over code points (FNV-1a with a murmur finaliser, as core/hash.h).
struct KeyHash {
  uint64_t h;
  explicit KeyHash(uint64_t seed) : h(1469598103934665603ull ^ seed) {}
  void Add(uint32_t cp) {
    for (int k = 0; k < 4; ++k) h = (h ^ ((cp >> (8 * k)) & 0xFF)) * 1099511628211ull;
  }
  uint64_t Done() const {
    uint64_t x = h;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x ? x : 1;
  }
};

bool IsNameChar(uint32_t cp) { return text::IsCjk(cp) || text::IsAsciiWordChar(cp) || cp == '-'; }

// Folds a content character to its key form (full-width letters and digits to ASCII, ASCII
// letters to lower case); 0 for everything that is not content.
uint32_t ContentChar(uint32_t cp) {
  if (cp >= 0xFF10 && cp <= 0xFF5A) cp -= 0xFEE0;  // full-width digits and letters
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || text::IsCjk(cp)) return cp;
  return 0;
}

// Skips what is not the author's words at s[i] (a link, an @name, an [emoticon], a #topic#, a
// boilerplate phrase). Returns the index after it, or i when nothing is skipped there.
size_t SkipNoise(std::string_view s, size_t i) {
  std::string_view rest = s.substr(i);
  if (rest.starts_with("http://") || rest.starts_with("https://")) {
    while (i < s.size() && static_cast<unsigned char>(s[i]) > 0x20 && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
  }
  if (rest[0] == '@') {
    size_t j = i + 1;
    while (j < s.size()) {
      size_t k = j;
      if (!IsNameChar(text::DecodeUtf8(s, k))) break;
      j = k;
    }
    return j;
  }
  if (rest[0] == '[' || rest[0] == '#') {
    size_t close = rest.find(rest[0] == '[' ? ']' : '#', 1);
    if (close != std::string_view::npos && close <= (rest[0] == '[' ? 24u : 96u)) return i + close + 1;
    return i;
  }
  // The boilerplate starts with r/R or 转/轉 (E8 BD), 网 (E7 BD), 網 (E7 B6), 分 (E5 88), 原 (E5 8E):
  // two bytes settle most characters without a comparison.
  const unsigned char c = static_cast<unsigned char>(rest[0]);
  const unsigned char d = rest.size() > 1 ? static_cast<unsigned char>(rest[1]) : 0;
  const bool may = c == 'r' || c == 'R' || (c == 0xE8 && d == 0xBD) || (c == 0xE7 && (d == 0xBD || d == 0xB6)) ||
                   (c == 0xE5 && (d == 0x88 || d == 0x8E));
  if (may)
    for (std::string_view b : kBoilerplate)
      if (rest.starts_with(b)) return i + b.size();
  return i;
}

// The key of s's first max_chars content characters; 0 when fewer than min_chars.
uint64_t ContentKey(std::string_view s, uint64_t seed, size_t max_chars, size_t min_chars) {
  KeyHash h(seed);
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < max_chars;) {
    size_t skipped = SkipNoise(s, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    uint32_t c = ContentChar(text::DecodeUtf8(s, i));
    if (c) h.Add(c), ++n;
  }
  return n >= min_chars ? h.Done() : 0;
}

// The key of a link: host and path without scheme, www. or a trailing slash; 0 when the link has
// no path worth the name (a bare domain names no post).
uint64_t UrlKey(std::string_view u) {
  for (std::string_view scheme : {"https://", "http://"})
    if (u.starts_with(scheme)) u.remove_prefix(scheme.size());
  if (u.starts_with("www.")) u.remove_prefix(4);
  while (!u.empty() && std::string_view(".,;:!?)]}'\"/").find(u.back()) != std::string_view::npos) u.remove_suffix(1);
  size_t slash = u.find('/');
  if (slash == std::string_view::npos || u.size() - slash < 4) return 0;
  KeyHash h(kUrlSeed);
  for (char c : u) h.Add(static_cast<unsigned char>(c));
  return h.Done();
}

uint64_t NameKey(std::string_view name) {
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (name.empty()) return 0;
  KeyHash h(kAuthorSeed);
  for (char c : name) h.Add(static_cast<unsigned char>(c));
  return h.Done();
}

void Push(uint64_t* keys, size_t& n, uint64_t k) {
  if (k == 0 || n == QuoteKeys::kMax) return;
  if (std::find(keys, keys + n, k) == keys + n) keys[n++] = k;
}

// Links in the text, at most kMaxUrls.
void UrlKeys(std::string_view s, uint64_t* keys, size_t& n) {
  size_t found = 0;
  for (size_t i = s.find("http"); i != std::string_view::npos && found < kMaxUrls; i = s.find("http", i + 4)) {
    std::string_view rest = s.substr(i);
    if (!rest.starts_with("http://") && !rest.starts_with("https://")) continue;
    size_t end = 0;
    while (end < rest.size() && static_cast<unsigned char>(rest[end]) > 0x20 && static_cast<unsigned char>(rest[end]) < 0x80)
      ++end;
    uint64_t k = UrlKey(rest.substr(0, end));
    if (k) Push(keys, n, k), ++found;
  }
}

// 【headline】 and 《title》 spans, at most kMaxTitles.
void TitleKeys(std::string_view s, uint64_t* keys, size_t& n) {
  size_t found = 0;
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"【", "】"}, {"《", "》"}}) {
    for (size_t i = s.find(open); i != std::string_view::npos && found < kMaxTitles; i = s.find(open, i + 1)) {
      size_t b = i + open.size();
      size_t e = s.find(close, b);
      if (e == std::string_view::npos || e - b > kBracketBytes) continue;
      uint64_t k = ContentKey(s.substr(b, e - b), kTitleSeed, kTitleChars, QuoteKeys::kMinTitleChars);
      if (k) Push(keys, n, k), ++found;
    }
  }
}

// Where the quoted parts start (after //@name:, 转发：, 转自 X：, RT @x: …), in text order, in one
// pass; `name` gets the first chain's name (the parent's author on Weibo).
size_t QuoteStarts(std::string_view s, size_t* starts, std::string_view& name) {
  auto after_colon = [&](size_t from) -> size_t {
    std::string_view rest = s.substr(from, kNameBytes);
    for (size_t j = 0; j < rest.size(); ++j) {
      if (rest[j] == ':') return from + j + 1;
      if (rest.substr(j).starts_with("：")) return from + j + 3;
      if (rest[j] == ' ' || rest[j] == '/' || rest[j] == '\n') return from + j;
    }
    return std::string_view::npos;
  };
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < kMaxQuotes; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const unsigned char d = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (!(kAsciiLead[c] | ((kSecondByte[c] != 0) & (kSecondByte[c] == d)))) continue;
    std::string_view rest = s.substr(i);
    size_t p = std::string_view::npos;
    for (std::string_view m : kNamedMarkers) {
      if (!rest.starts_with(m)) continue;
      p = after_colon(i + m.size());
      if (p != std::string_view::npos && name.empty()) {  // the name ends at its colon
        size_t end = s[p - 1] == ':' ? p - 1 : s.substr(p - 3, 3) == "：" ? p - 3 : std::string_view::npos;
        if (end != std::string_view::npos && end >= i + m.size()) name = s.substr(i + m.size(), end - i - m.size());
      }
      break;
    }
    for (size_t k = 0; p == std::string_view::npos && k < std::size(kPlainMarkers); ++k)
      if (rest.starts_with(kPlainMarkers[k])) p = i + kPlainMarkers[k].size();
    if (p == std::string_view::npos && rest.starts_with(kFromMarker)) {
      size_t q = after_colon(i + kFromMarker.size());
      if (q != std::string_view::npos && q > i + kFromMarker.size()) p = q;
    }
    if (p == std::string_view::npos) continue;
    starts[n++] = p;
    i = p - 1;
  }
  return n;
}

}  // namespace

void QuoteKeysOf(const Post& p, QuoteKeys& out) {
  out.n_refs = out.n_own = 0;
  out.author = NameKey(p.author.name);
  std::string_view s = std::string_view(p.text).substr(0, QuoteKeys::kScanBytes);
  // Cut at a character boundary so a multi-byte character is not split.
  while (!s.empty() && s.size() < p.text.size() && (static_cast<unsigned char>(p.text[s.size()]) & 0xC0) == 0x80)
    s.remove_suffix(1);

  size_t starts[kMaxQuotes];
  std::string_view name;
  size_t nq = QuoteStarts(s, starts, name);
  for (size_t i = 0; i < nq; ++i)
    Push(out.refs, out.n_refs,
         ContentKey(s.substr(starts[i]), kHeadSeed, QuoteKeys::kHeadChars, QuoteKeys::kMinQuoteChars));
  out.quoted_author = NameKey(name);
  // Links and headlines both point at a post and name this one.
  uint64_t shared[kMaxUrls + kMaxTitles];
  size_t ns = 0;
  UrlKeys(s, shared, ns);
  TitleKeys(s, shared, ns);
  for (size_t i = 0; i < ns; ++i) Push(out.refs, out.n_refs, shared[i]);

  Push(out.own, out.n_own, ContentKey(s, kHeadSeed, QuoteKeys::kHeadChars, QuoteKeys::kMinQuoteChars));
  if (!p.title.empty()) {
    std::string_view t = std::string_view(p.title).substr(0, QuoteKeys::kScanBytes);
    Push(out.own, out.n_own, ContentKey(t, kTitleSeed, kTitleChars, QuoteKeys::kMinTitleChars));
    Push(out.own, out.n_own, ContentKey(t, kHeadSeed, QuoteKeys::kHeadChars, QuoteKeys::kHeadChars));
  }
  if (!p.url.empty()) Push(out.own, out.n_own, UrlKey(p.url));
  for (size_t i = 0; i < ns; ++i) Push(out.own, out.n_own, shared[i]);
}

}  // namespace yuqing::analysis
