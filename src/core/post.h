// The post: one record of public opinion (a Weibo post, an article, a hotline call ...), and the
// judgements later stages attach to it. Plain data; every stage reads and fills its own part.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace yuqing {

// Size bounds for untrusted input; the ingest validator enforces them.
constexpr size_t kMaxTextBytes = 64 * 1024;
constexpr size_t kMaxTitleBytes = 2 * 1024;
constexpr size_t kMaxFieldBytes = 2 * 1024;
constexpr size_t kMaxExtraBytes = 16 * 1024;
constexpr size_t kMaxRecordBytes = 256 * 1024;

struct Author {
  std::string id;
  std::string name;
  std::string location;
  int64_t followers = 0;
  bool verified = false;
};

struct Metrics {
  int64_t reposts = 0;
  int64_t comments = 0;
  int64_t likes = 0;
  int64_t views = 0;
};

struct Post {
  std::string id;  // stable: given, or derived from source+url or source+author+text+time
  std::string source;
  std::string channel;
  std::string url;
  std::string title;
  std::string text;
  Author author;
  TimeMs published_at = 0;
  TimeMs ingested_at = 0;
  std::string region;
  Metrics metrics;
  std::string parent;      // id of the post this one reposts or answers
  std::string lang;
  std::string extra_json;  // unknown fields, kept as a JSON object ("" when none)
};

// One opinion type with the words that triggered it (so an analyst can see why).
struct TypeHit {
  std::string type;  // complaint, suggestion, rumor, attack, group_event, accident, praise, news
  std::vector<std::string> evidence;
  double score = 1.0;
};

struct Analysis {
  std::string sentiment_label = "neutral";  // negative | neutral | positive
  double sentiment_score = 0.0;             // [-1, 1]: p(positive) - p(negative)
  double rumor = 0.0;  // p(rumour) from the text, 0–1 (0 without a rumour model or with no content)
  std::vector<TypeHit> types;
  std::string province;
  std::string city;
  std::string region_source;  // "text": named in the text; "author": the author's location; "" none
  std::vector<std::string> keywords;
  uint64_t simhash = 0;
  std::string dup_of;    // id of the earlier near-duplicate this post copies ("" when original)
  int64_t event_id = 0;  // 0: not yet assigned
};

// A monitoring scheme this post matched, with the terms that hit.
struct SchemeHit {
  int64_t scheme_id = 0;
  std::vector<std::string> terms;
};

// One field (title or text) normalised and segmented once, shared by the full-text index and
// the later stages. Tokens are byte ranges in `norm`; offsets map each byte of `norm` (and one
// past the end) back to the original field.
struct SegmentedField {
  std::string norm;
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> token_begin, token_end;
  std::vector<bool> colocated;  // true: a sub-word of the previous full word (search mode)
};

// A post on its way through the pipeline: the record plus what the stages computed.
struct ProcessedPost {
  Post post;
  SegmentedField title_seg, text_seg;
  const void* segmenter = nullptr;  // the text::Segmenter that cut title_seg/text_seg (see store::TokenHint)
  std::string norm_text;           // normalised title + "\n" + text (see text/normalizer.h)
  std::vector<std::string> words;  // segmented norm_text, stop words kept
  Analysis analysis;
  std::vector<SchemeHit> schemes;
  bool duplicate = false;          // already stored (same id): later stages skip it

  // Takes the next post, forgetting everything computed for the previous one but keeping the
  // buffers' capacity (the pipeline reuses its ProcessedPosts from batch to batch).
  void Reset(Post&& next) {
    post = std::move(next);
    for (SegmentedField* f : {&title_seg, &text_seg}) {
      f->norm.clear();
      f->offsets.clear();
      f->token_begin.clear();
      f->token_end.clear();
      f->colocated.clear();
    }
    segmenter = nullptr;
    norm_text.clear();
    words.clear();
    analysis = Analysis{};
    schemes.clear();
    duplicate = false;
  }
};

// Derives the stable id of a post that has none (BLAKE2b via libsodium, 16 hex digits).
std::string StablePostId(const Post& p);

}  // namespace yuqing
