// Rumour clarification (辟谣): a record of the false claim, the evidence against it and the
// statement that answers it, linked to the posts that spread the claim. Those posts are found two
// ways: near-duplicates of the claim (SimHash within kMaxDistance of the claim's, as the analysis
// stage computes them, plus posts recorded as copies of those: dup_of) and a monitoring scheme.
//
// The scheme: the claim's top keywords, all present (or a query the team gives), saved through
// store::SchemeStore like `yuqing topics add` (same validation), named "辟谣：<claim excerpt>",
// owned by the incident's departments (outbox_hooks.h: IncidentDepartments). The pipeline's live
// matcher then tags new posts with it (post_schemes); the posts stored before it existed are
// matched once when it is saved. After the clarification statement is published, the claim's
// volume is tracked from those posts plus the near-duplicates: equal windows before and after
// publication and the last hour, so the team sees whether it is still spreading.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "rules/scheme.h"
#include "store/incident_store.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::incident {

struct ClarificationOptions {
  int max_distance = 6;        // SimHash Hamming distance that counts as the same claim
  size_t keywords = 3;         // words of the generated scheme
  TimeMs lookback = 7 * kDay;  // posts from detection - lookback
  size_t max_candidates = 500000;
  TimeMs window = 6 * kHour;   // before/after publication
};

// What `clarify add` records.
struct ClarificationRequest {
  int64_t incident_id = 0;
  std::string claim;          // the false claim, as spread (required)
  std::string evidence;
  int64_t statement_id = 0;   // the clarification statement (0: none yet)
  std::string query;          // the scheme's query; empty: generated from the claim's keywords
  std::string actor;
};

class Clarifications {
 public:
  // `norm` and `seg` may be null (then the claim is matched as is: no keywords, no SimHash).
  Clarifications(store::IncidentStore& store, const Clock& clock, std::shared_ptr<const text::Normalizer> norm,
                 std::shared_ptr<const text::Segmenter> seg, ClarificationOptions o = {});

  // Records a clarification with its monitoring scheme and scans for its spreading posts.
  //  - Invalid on an empty claim, a statement of another incident, a claim with no keywords to
  //    generate a query from, or a query that does not compile (the message names the column:
  //    "query '(水': column 1: ..."); nothing is written then.
  //  - Idempotent: the same claim (trimmed) again in the same incident returns the existing
  //    record (*created = false), linking `statement_id`/`evidence` when given and saving its
  //    scheme if it has none; Conflict when `query` differs from the recorded one.
  //  - The scheme is reused when one of the same name and query exists; otherwise the name gets a
  //    suffix (（2）, ...). If recording fails after the scheme was saved, the scheme is removed.
  //  - Without a normaliser (or, for a generated query, a segmenter) no scheme is saved
  //    (scheme_id 0) and the query, if any, is matched by plain substring search.
  Result<store::ClarificationRow> Add(const ClarificationRequest& req, bool* created = nullptr);
  Result<store::ClarificationRow> Add(int64_t incident_id, const std::string& claim, const std::string& evidence,
                                      int64_t statement_id, const std::string& actor);
  // Links the clarification statement later; saves the record's scheme when it has none yet
  // (records made before schemes were saved). Fails, changing nothing, when that query does not
  // compile.
  Result<store::ClarificationRow> SetStatement(int64_t id, int64_t statement_id, const std::string& actor);
  // Scans again (new posts since: near-duplicates and the posts the pipeline tagged with the
  // scheme); returns the number of posts now linked.
  Result<int64_t> Scan(int64_t id);
  // The record with its query and scheme_id, posts (count, first, last, curve) and the tracking
  // after the statement's publication: {"published_at", "before", "after", "last_hour",
  // "still_spreading"}.
  Result<nlohmann::json> Report(int64_t id, bool rescan = true);

  // The query generated from a claim: its top keywords, each quoted when it holds anything but
  // letters, digits and CJK characters (so a word never reads as an operator). "" when none.
  std::string GenerateQuery(const std::string& claim) const;
  // "辟谣：" and the claim's first characters (whitespace collapsed, "…" when cut).
  static std::string SchemeName(const std::string& claim);

 private:
  std::vector<std::string> Words(const std::string& text) const;
  // Validates `r.query` as a scheme query (like `topics add`) and picks the scheme to save, or
  // the existing one of the same name and query (id > 0). Writes nothing.
  Result<rules::Scheme> PlanScheme(const store::ClarificationRow& r);
  // When `r` can have a scheme and has none: plans it, saves it unless it exists, sets
  // r.scheme_id and *scheme. Returns whether the scheme was created here (to undo on failure).
  Result<bool> AttachScheme(store::ClarificationRow& r, rules::Scheme* scheme);
  // Links the stored posts the scheme matches (published since the lookback).
  Status Backfill(const store::ClarificationRow& r, rules::Scheme scheme);
  store::IncidentStore& store_;
  const Clock& clock_;
  std::shared_ptr<const text::Normalizer> norm_;
  std::shared_ptr<const text::Segmenter> seg_;
  ClarificationOptions opts_;
};

}  // namespace yuqing::incident
