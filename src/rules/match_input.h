// A Post as the matcher reads it: the one place that knows which field of a post feeds which
// field of a MatchInput.
#pragma once

#include <string_view>

#include "core/post.h"
#include "rules/fields.h"

namespace yuqing::rules {

// For Matcher::Match: `norm_title` and `norm_text` are the post's title and text normalised with
// the matcher's text::Normalizer (MatchInput's contract); the other fields are taken raw from
// `p`. The views point into `p`, `norm_title` and `norm_text`, which must outlive the input.
inline MatchInput MatchInputFrom(const Post& p, std::string_view norm_title, std::string_view norm_text) {
  MatchInput in;
  in.title = norm_title;
  in.text = norm_text;
  in.author = p.author.name;
  in.source = p.source;
  in.channel = p.channel;
  in.region = p.region;
  in.lang = p.lang;
  in.verified = p.author.verified;
  in.followers = p.author.followers;
  return in;
}

// Every field raw, title and text too: NOT for Matcher::Match, but for
// NormalizeFields(in, norm, /*title_text_normalised=*/false), which normalises them all (the
// reference evaluator). The views point into `p`.
inline MatchInput RawMatchInputFrom(const Post& p) { return MatchInputFrom(p, p.title, p.text); }

}  // namespace yuqing::rules
