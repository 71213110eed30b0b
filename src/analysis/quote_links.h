// Quote links: what ties a repost to the post it reposts when the source gives no parent id.
//
// A repost usually carries its original with it: Weibo's `my comment//@B: B's comment//@C: …`
// chain (everything after the first `//@B:` is B's post as B wrote it), a 转发：/转：/转自 X：/RT @x:
// prefix before the quoted text, the original's link (t.cn …), or its 【headline】 / 《title》.
// Each of these becomes a 64-bit key:
//   head  — the first kHeadChars content characters of a text (letters, digits, CJK; links,
//           @names, [emoticons], #topics#, punctuation and repost boilerplate such as 转发微博
//           left out), only when at least kMinQuoteChars remain;
//   url   — a link with a path (scheme, www. and a trailing / dropped; case kept: t.cn codes
//           are case-sensitive);
//   title — a 【…】 or 《…》 span, or the post's title field, of at least kMinTitleChars
//           content characters.
// A chain also names the parent's author (`//@B:` or `RT @B:`): when the quoted text is too short
// to be a key (B wrote 转发微博 or [围观]), `quoted_author` (the first chain name) finds the post B
// wrote last, whose key is `author` (the post's author name).
// `own` keys name the post itself (its text's head, its title, its links and headlines, its
// url): later posts find it by them. `refs` keys name what the post quotes (the head of each
// quoted part, its links and headlines), best first. A bare 转发微博 or a short reaction yields no
// key, and a common word is never a key, so unrelated posts are not glued together.
//
// Pure functions of the post's own fields (text, title, url): no state, no allocation; the text
// is read up to kScanBytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/post.h"

namespace yuqing::analysis {

struct QuoteKeys {
  static constexpr size_t kMax = 8;
  static constexpr size_t kHeadChars = 16;
  static constexpr size_t kMinQuoteChars = 8;
  static constexpr size_t kMinTitleChars = 8;
  static constexpr size_t kScanBytes = 4096;
  uint64_t refs[kMax];
  size_t n_refs = 0;
  uint64_t own[kMax];
  size_t n_own = 0;
  uint64_t author = 0;         // key of the post's author name (0: none)
  uint64_t quoted_author = 0;  // key of the first name in its //@ or RT @ chain (0: none)
};

// Fills out.refs and out.own (at most QuoteKeys::kMax each, no duplicates within a list).
void QuoteKeysOf(const Post& p, QuoteKeys& out);

}  // namespace yuqing::analysis
